# label: secure
# round: 1
import hashlib
import hmac


def sign(key, message):
    return hmac.new(key, message, hashlib.sha256).hexdigest()
