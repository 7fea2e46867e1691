# label: vulnerable CWE-327
# round: 1
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def encrypt_block(key, block):
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()
