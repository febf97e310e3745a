from notion_client import AsyncClient, Client

notion = Client(auth="secret")
anotion = AsyncClient(auth="secret")


async def page(pid):
    return notion.pages.retrieve(page_id=pid)  # expect: block


async def page_async(pid):
    return await anotion.pages.retrieve(page_id=pid)  # expect: ok
