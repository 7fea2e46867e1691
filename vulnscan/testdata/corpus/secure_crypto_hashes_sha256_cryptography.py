# label: secure
# round: 2
from cryptography.hazmat.primitives import hashes


def fingerprint(data):
    h = hashes.Hash(hashes.SHA256())
    h.update(data)
    return h.finalize()
