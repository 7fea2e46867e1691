# label: vulnerable CWE-327
# round: 3
from Crypto.Cipher import AES


def encrypt(key, padded):
    return AES.new(key, AES.MODE_ECB).encrypt(padded)
