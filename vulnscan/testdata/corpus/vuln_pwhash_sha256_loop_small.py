# label: vulnerable CWE-916
# round: 3
import hashlib


def stretch(password, salt):
    h = (salt + password).encode()
    for _ in range(10):
        h = hashlib.sha256(h).digest()
    return h
