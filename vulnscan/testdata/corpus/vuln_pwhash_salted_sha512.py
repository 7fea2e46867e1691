# label: vulnerable CWE-916
# round: 1
import hashlib
import os


def hash_password(password):
    salt = os.urandom(16)
    return salt + hashlib.sha512(salt + password.encode()).digest()
