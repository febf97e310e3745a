import asyncio

import typesense

client = typesense.Client({"nodes": [{"host": "localhost", "port": "8108", "protocol": "http"}],
                           "api_key": "xyz", "connection_timeout_seconds": 2})


async def find(q):
    return client.collections["books"].documents.search({"q": q, "query_by": "title"})  # expect: block


async def find_offloaded(q):
    docs = client.collections["books"].documents  # expect: ok
    return await asyncio.to_thread(docs.search, {"q": q, "query_by": "title"})  # expect: ok
