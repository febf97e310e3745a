from elasticsearch import AsyncElasticsearch, Elasticsearch

es = Elasticsearch("http://localhost:9200")
aes = AsyncElasticsearch("http://localhost:9200")


async def make_index():
    es.indices.create(index="docs")  # expect: block


async def make_index_async():
    await aes.indices.create(index="docs")  # expect: ok
