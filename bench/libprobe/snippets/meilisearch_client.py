import meilisearch

client = meilisearch.Client("http://127.0.0.1:7700", "masterKey")


async def find(q):
    return client.index("movies").search(q)  # expect: block


async def handle():
    return client.index("movies")  # expect: ok
