# label: vulnerable CWE-916
# round: 1
import hashlib
import os


def derive(password):
    salt = os.urandom(16)
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)
