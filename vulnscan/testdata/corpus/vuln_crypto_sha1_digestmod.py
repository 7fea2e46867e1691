# label: vulnerable CWE-328
# round: 3
import hashlib
import hmac


def sign(key, msg):
    return hmac.new(key, msg, digestmod=hashlib.sha1).digest()
