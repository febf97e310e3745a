from google.cloud import pubsub_v1

publisher = pubsub_v1.PublisherClient()


async def send(data):
    topic = publisher.topic_path("project", "topic")  # expect: ok
    return publisher.publish(topic, data).result()  # expect: block
