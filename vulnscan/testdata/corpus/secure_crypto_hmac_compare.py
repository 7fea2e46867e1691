# label: secure
# round: 3
import hashlib
import hmac


def valid_webhook(secret, body, signature):
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)
