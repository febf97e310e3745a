"""fakeasync-lint: find fake-async Python code (blocking I/O inside ``async def``)."""

__version__ = "0.1.0"
