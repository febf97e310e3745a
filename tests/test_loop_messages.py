"""FAK302 messages say whether `gather` is safe: a receiver per item (its own peer) or one shared client."""
import json
import textwrap

from conftest import run_cli

SRC = '''
import httpx


class Peer:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def ping(self):
        return await self.client.get("https://peer.invalid/ping")


async def each_peer(peers: list[Peer]):
    for peer in peers:
        await peer.ping()


async def one_client(client: httpx.AsyncClient, urls):
    for url in urls:
        await client.get(url)
'''


def test_fak302_says_whether_gather_is_safe(tmp_path):
    (tmp_path / "m.py").write_text(textwrap.dedent(SRC))
    code, out, err = run_cli(["check", "--no-cache", "--isolated", "--format", "json", "--select", "FAK302", "m.py"],
                             cwd=tmp_path)
    assert code == 1, err
    by_line = {d["location"]["row"]: d["message"] for d in json.loads(out)}
    assert set(by_line) == {15, 20}, by_line
    assert "talks to its own `peer`" in by_line[15] and "`gather`" in by_line[15] and "is safe" in by_line[15]
    assert "they share `client`" in by_line[20] and "raw connection or websocket it is not" in by_line[20]
