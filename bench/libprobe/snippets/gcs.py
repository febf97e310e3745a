from google.cloud import storage

client = storage.Client()


async def fetch(name):
    return client.bucket("b").blob(name).download_as_bytes()  # expect: block


async def handle(name):
    return client.bucket("b").blob(name)  # expect: ok
