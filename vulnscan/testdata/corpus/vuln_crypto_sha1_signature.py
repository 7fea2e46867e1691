# label: vulnerable CWE-328
# round: 1
import hashlib
import hmac


def sign(key, message):
    return hmac.new(key, message, hashlib.sha1).hexdigest()
