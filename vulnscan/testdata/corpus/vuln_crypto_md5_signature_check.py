# label: vulnerable CWE-328
# round: 3
import hashlib


def valid_webhook(secret, body, signature):
    return hashlib.md5(secret + body).hexdigest() == signature
