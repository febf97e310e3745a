import chromadb

client = chromadb.HttpClient(host="localhost", port=8000)
collection = client.get_collection("docs")


async def similar(text):
    return collection.query(query_texts=[text], n_results=2)  # expect: block


async def similar_async(text):
    ac = await chromadb.AsyncHttpClient(host="localhost", port=8000)
    col = await ac.get_collection("docs")  # expect: ok
    return await col.query(query_texts=[text], n_results=2)  # expect: ok
