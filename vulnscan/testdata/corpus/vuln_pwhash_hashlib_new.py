# label: vulnerable CWE-916
# round: 2
import hashlib


def digest_pw(pw: str) -> str:
    return hashlib.new("sha256", pw.encode()).hexdigest()
