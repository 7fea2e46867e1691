# label: secure
# round: 2
import hashlib


def digest_blob(blob: bytes) -> str:
    return hashlib.new("sha256", blob).hexdigest()
