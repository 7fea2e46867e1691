# label: vulnerable CWE-328
# round: 2
from cryptography.hazmat.primitives import hashes


def fingerprint(data):
    h = hashes.Hash(hashes.MD5())
    h.update(data)
    return h.finalize()
