# label: vulnerable CWE-916
# round: 2
from hashlib import sha1


def register(db, email, password):
    db.users.insert_one({"email": email, "password": sha1(password.encode()).hexdigest()})
