from azure.servicebus import ServiceBusClient, ServiceBusMessage

client = ServiceBusClient.from_connection_string("conn")


async def send(text):
    msg = ServiceBusMessage(text)  # expect: ok
    with client.get_queue_sender(queue_name="q") as sender:
        sender.send_messages(msg)  # expect: block
