import asyncio

import snowflake.connector

conn = snowflake.connector.connect(user="u", password="p", account="a")


async def one():
    cur = conn.cursor()
    cur.execute("SELECT 1")  # expect: block


async def one_offloaded():
    cur = conn.cursor()
    await asyncio.to_thread(cur.execute, "SELECT 1")  # expect: ok
