import asyncio

from minio import Minio

client = Minio("play.min.io", access_key="a", secret_key="s")


async def upload(path):
    client.fput_object("bucket", "obj", path)  # expect: block


async def upload_offloaded(path):
    await asyncio.to_thread(client.fput_object, "bucket", "obj", path)  # expect: ok
