import praw

reddit = praw.Reddit(client_id="i", client_secret="s", user_agent="a", username="u", password="p")


async def post(title):
    sub = reddit.subreddit("test")  # expect: ok
    return sub.submit(title, selftext="hello")  # expect: block
