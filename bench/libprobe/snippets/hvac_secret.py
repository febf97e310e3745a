import asyncio

import hvac

client = hvac.Client(url="http://localhost:8200", token="t")


async def secret(path):
    return client.secrets.kv.v2.read_secret_version(path=path)  # expect: block


async def secret_offloaded(path):
    return await asyncio.to_thread(client.secrets.kv.v2.read_secret_version, path=path)  # expect: ok
