# label: vulnerable CWE-330
# round: 1
import hashlib
import random


def hash_secret(value):
    salt = str(random.random()).encode()
    return salt, hashlib.pbkdf2_hmac("sha256", value.encode(), salt, 600000)
