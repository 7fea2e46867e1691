# label: vulnerable CWE-327
# round: 2
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms


def rc4(key, data):
    enc = Cipher(algorithms.ARC4(key), mode=None).encryptor()
    return enc.update(data)
