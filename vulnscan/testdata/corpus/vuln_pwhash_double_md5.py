# label: vulnerable CWE-916
# round: 3
import hashlib


def legacy_hash(password):
    return hashlib.md5(hashlib.md5(password.encode()).hexdigest().encode()).hexdigest()
