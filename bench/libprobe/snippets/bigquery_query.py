from google.cloud import bigquery

client = bigquery.Client()


async def rows():
    return list(client.query("SELECT 1").result())  # expect: block


async def config():
    return bigquery.QueryJobConfig(use_query_cache=False)  # expect: ok
