import asyncio

from pymilvus import MilvusClient

client = MilvusClient("http://localhost:19530")


async def search(vec):
    return client.search(collection_name="c", data=[vec], limit=3)  # expect: block


async def search_offloaded(vec):
    return await asyncio.to_thread(client.search, collection_name="c", data=[vec], limit=3)  # expect: ok
