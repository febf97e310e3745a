from azure.cosmos import CosmosClient

client = CosmosClient("https://acct.documents.azure.com", credential="key")


async def item(i):
    container = client.get_database_client("db").get_container_client("items")  # expect: ok
    return container.read_item(item=i, partition_key=i)  # expect: block
