import clickhouse_connect

client = clickhouse_connect.get_client(host="localhost", username="default")


async def count():
    return client.query("SELECT count() FROM t").result_rows  # expect: block


async def count_async():
    ac = await clickhouse_connect.get_async_client(host="localhost")
    return (await ac.query("SELECT count() FROM t")).result_rows  # expect: ok
