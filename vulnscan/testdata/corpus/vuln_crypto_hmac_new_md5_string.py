# label: vulnerable CWE-328
# round: 3
import hmac


def sign(key, msg):
    return hmac.new(key, msg, "md5").hexdigest()
