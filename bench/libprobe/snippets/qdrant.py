from qdrant_client import AsyncQdrantClient, QdrantClient, models

client = QdrantClient(url="http://localhost:6333")
aclient = AsyncQdrantClient(url="http://localhost:6333")


async def search(vec):
    return client.query_points(collection_name="c", query=vec, limit=3).points  # expect: block


async def search_async(vec):
    return (await aclient.query_points(collection_name="c", query=vec, limit=3)).points  # expect: ok


async def point(vec):
    return models.PointStruct(id=1, vector=vec, payload={"a": 1})  # expect: ok
