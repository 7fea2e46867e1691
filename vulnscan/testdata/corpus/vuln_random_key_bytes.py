# label: vulnerable CWE-330
# round: 1
import random
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def new_cipher():
    key = bytes(random.getrandbits(8) for _ in range(32))
    return AESGCM(key)
