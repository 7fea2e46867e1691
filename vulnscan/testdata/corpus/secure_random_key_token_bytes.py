# label: secure
# round: 3
import secrets
from Crypto.Cipher import AES


def encrypt_blob(data):
    key = secrets.token_bytes(32)
    cipher = AES.new(key, AES.MODE_GCM)
    return key, cipher.nonce, cipher.encrypt_and_digest(data)
