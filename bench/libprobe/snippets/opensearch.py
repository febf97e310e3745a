from opensearchpy import AsyncOpenSearch, OpenSearch

client = OpenSearch(hosts=[{"host": "localhost", "port": 9200}])
aclient = AsyncOpenSearch(hosts=[{"host": "localhost", "port": 9200}])


async def put(doc):
    return client.index(index="movies", body=doc, id="1", refresh=True)  # expect: block


async def put_async(doc):
    return await aclient.index(index="movies", body=doc, id="1")  # expect: ok
