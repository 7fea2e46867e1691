# label: vulnerable CWE-330
# round: 1
import random
import string


def register_client(db, name):
    db.clients.insert_one({
        "name": name,
        "api_key": "".join(random.sample(string.hexdigits, 16)),
    })
