from google.cloud import firestore

db = firestore.Client()
adb = firestore.AsyncClient()


async def user(uid):
    return db.collection("users").document(uid).get().to_dict()  # expect: block


async def user_async(uid):
    return (await adb.collection("users").document(uid).get()).to_dict()  # expect: ok
