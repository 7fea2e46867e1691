# label: secure
# round: 1
import hashlib
import os


def derive(password):
    salt = os.urandom(16)
    return salt, hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)
