# label: secure
# round: 3
import hashlib


def commit_hash(data: bytes) -> str:
    return hashlib.sha3_256(data).hexdigest()
