# label: vulnerable CWE-916
# round: 2
import hashlib


def derive_key(passphrase, salt):
    return hashlib.pbkdf2_hmac("sha1", passphrase.encode(), salt, iterations=100)
