# label: secure
# round: 1
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def new_cipher():
    key = AESGCM.generate_key(bit_length=256)
    return AESGCM(key)
