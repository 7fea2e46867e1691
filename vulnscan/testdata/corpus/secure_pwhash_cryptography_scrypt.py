# label: secure
# round: 2
import os
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt


def hash_password(password: bytes) -> bytes:
    salt = os.urandom(16)
    kdf = Scrypt(salt=salt, length=32, n=2**14, r=8, p=1)
    return salt + kdf.derive(password)
