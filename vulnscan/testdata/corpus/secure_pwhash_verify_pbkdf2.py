# label: secure
# round: 3
import hashlib
import hmac


def verify_password(stored, salt, attempt):
    digest = hashlib.pbkdf2_hmac("sha256", attempt.encode(), salt, 600000)
    return hmac.compare_digest(digest, stored)
