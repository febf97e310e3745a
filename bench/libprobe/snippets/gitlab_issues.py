import asyncio

import gitlab

gl = gitlab.Gitlab("https://gitlab.example.com", private_token="t")


async def issues(pid):
    return gl.projects.get(pid).issues.list(state="opened")  # expect: block


async def issues_offloaded(pid):
    return await asyncio.to_thread(gl.projects.get, pid)  # expect: ok
