import paho.mqtt.client as mqtt

client = mqtt.Client()


async def connect():
    client.username_pw_set("u", "p")  # expect: ok
    client.connect("broker.example.com", 1883, 60)  # expect: block
