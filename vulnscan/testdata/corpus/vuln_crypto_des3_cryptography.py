# label: vulnerable CWE-327
# round: 3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt(key, iv, data):
    enc = Cipher(algorithms.TripleDES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()
