import asyncio

from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers="localhost:9092")


async def send(data):
    producer.send("topic", data).get(timeout=10)
    producer.flush()  # expect: block


async def send_offloaded(data):
    await asyncio.to_thread(producer.flush)  # expect: ok
