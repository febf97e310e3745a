from supabase import create_client

supabase = create_client("https://x.supabase.co", "key")


async def countries():
    return supabase.table("countries").select("*").execute()  # expect: block


async def query():
    return supabase.table("countries").select("*").eq("id", 1)  # expect: ok
