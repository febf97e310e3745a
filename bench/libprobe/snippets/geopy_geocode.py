from geopy.distance import geodesic
from geopy.geocoders import Nominatim

geolocator = Nominatim(user_agent="app")


async def where(addr):
    return geolocator.geocode(addr)  # expect: block


async def far(a, b):
    return geodesic(a, b).km  # expect: ok
