# label: secure
# round: 1
from Crypto.Cipher import AES


def encrypt(key, data):
    cipher = AES.new(key, AES.MODE_GCM)
    ct, tag = cipher.encrypt_and_digest(data)
    return cipher.nonce + tag + ct
