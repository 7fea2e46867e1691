# label: vulnerable CWE-330
# round: 3
import random
from Crypto.Cipher import AES


def encrypt_blob(data):
    key = random.randbytes(32)
    cipher = AES.new(key, AES.MODE_GCM)
    return key, cipher.nonce, cipher.encrypt_and_digest(data)
