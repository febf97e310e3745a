from azure.storage.blob import BlobServiceClient
from azure.storage.blob.aio import BlobServiceClient as AsyncBlobServiceClient

service = BlobServiceClient.from_connection_string("conn")
container = service.get_container_client("c")


async def put(name, data):
    container.upload_blob(name=name, data=data, overwrite=True)  # expect: block


async def put_async(name, data):
    async with AsyncBlobServiceClient.from_connection_string("conn") as asvc:
        await asvc.get_container_client("c").upload_blob(name=name, data=data)  # expect: ok
