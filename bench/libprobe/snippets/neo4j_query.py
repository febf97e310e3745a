from neo4j import AsyncGraphDatabase, GraphDatabase

driver = GraphDatabase.driver("neo4j://localhost", auth=("neo4j", "pw"))
adriver = AsyncGraphDatabase.driver("neo4j://localhost", auth=("neo4j", "pw"))


async def people():
    return driver.execute_query("MATCH (p:Person) RETURN p")  # expect: block


async def people_session():
    with driver.session(database="neo4j") as session:
        return list(session.run("MATCH (p) RETURN p"))  # expect: block


async def people_async():
    return await adriver.execute_query("MATCH (p:Person) RETURN p")  # expect: ok
