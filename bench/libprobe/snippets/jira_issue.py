import asyncio

from jira import JIRA

jira = JIRA(server="https://jira.example.com", basic_auth=("u", "t"))


async def issue(key):
    return jira.issue(key)  # expect: block


async def issue_offloaded(key):
    return await asyncio.to_thread(jira.issue, key)  # expect: ok
