# label: vulnerable CWE-916
# round: 1
import hashlib


def store_user(db, username, password):
    digest = hashlib.sha256(password.encode()).hexdigest()
    db.execute("INSERT INTO users (name, pw) VALUES (?, ?)", (username, digest))
