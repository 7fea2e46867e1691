# label: vulnerable CWE-916
# round: 1
import hashlib


def digest_credentials(username, password):
    h = hashlib.sha256()
    h.update(username.encode())
    h.update(password.encode())
    return h.hexdigest()
