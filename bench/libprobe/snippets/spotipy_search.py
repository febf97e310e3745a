import spotipy
from spotipy.oauth2 import SpotifyClientCredentials

sp = spotipy.Spotify(auth_manager=SpotifyClientCredentials(client_id="i", client_secret="s"))


async def track(q):
    return sp.search(q=q, limit=1, type="track")  # expect: block
