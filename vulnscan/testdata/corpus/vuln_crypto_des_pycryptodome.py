# label: vulnerable CWE-327
# round: 1
from Crypto.Cipher import DES


def encrypt(key, data):
    cipher = DES.new(key, DES.MODE_CBC)
    return cipher.iv + cipher.encrypt(data)
