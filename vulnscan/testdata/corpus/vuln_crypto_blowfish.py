# label: vulnerable CWE-327
# round: 2
from Crypto.Cipher import Blowfish


def seal(key, data):
    return Blowfish.new(key, Blowfish.MODE_CBC).encrypt(data)
