from influxdb_client import InfluxDBClient, Point
from influxdb_client.client.write_api import SYNCHRONOUS

client = InfluxDBClient(url="http://localhost:8086", token="t", org="o")
write_api = client.write_api(write_options=SYNCHRONOUS)


async def record(v):
    p = Point("temp").tag("room", "a").field("value", v)  # expect: ok
    write_api.write(bucket="b", record=p)  # expect: block
