import asyncio

import dropbox

dbx = dropbox.Dropbox("token")


async def upload(data):
    dbx.files_upload(data, "/x.txt")  # expect: block


async def upload_offloaded(data):
    await asyncio.to_thread(dbx.files_upload, data, "/x.txt")  # expect: ok
