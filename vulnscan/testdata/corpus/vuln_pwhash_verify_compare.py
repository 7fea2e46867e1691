# label: vulnerable CWE-916
# round: 3
import hashlib
import hmac


def verify_password(stored_hex, salt, attempt):
    digest = hashlib.sha256(salt + attempt.encode()).hexdigest()
    return hmac.compare_digest(digest, stored_hex)
