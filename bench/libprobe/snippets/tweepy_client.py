import tweepy
from tweepy.asynchronous import AsyncClient

client = tweepy.Client(bearer_token="t")
aclient = AsyncClient(bearer_token="t")


async def post(text):
    return client.create_tweet(text=text)  # expect: block


async def post_async(text):
    return await aclient.create_tweet(text=text)  # expect: ok
