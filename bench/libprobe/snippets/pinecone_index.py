import asyncio

from pinecone import Pinecone

pc = Pinecone(api_key="key")
index = pc.Index("quickstart")


async def nearest(vec):
    return index.query(vector=vec, top_k=3, include_metadata=True)  # expect: block


async def nearest_offloaded(vec):
    return await asyncio.to_thread(index.query, vector=vec, top_k=3)  # expect: ok
