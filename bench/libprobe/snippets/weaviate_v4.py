import weaviate
from weaviate.classes.query import Filter

client = weaviate.connect_to_local()


async def search(q):
    return client.collections.get("Article").query.near_text(query=q, limit=2)  # expect: block


async def search_async(q):
    async with weaviate.use_async_with_local() as ac:
        return await ac.collections.get("Article").query.near_text(query=q, limit=2)  # expect: ok


async def build_filter():
    return Filter.by_property("lang").equal("en")  # expect: ok
