# label: secure
# round: 1
from cryptography.fernet import Fernet


def encrypt(key, data):
    return Fernet(key).encrypt(data)
