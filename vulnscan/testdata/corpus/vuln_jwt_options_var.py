# label: vulnerable CWE-347
# round: 1
import jwt

DECODE_OPTIONS = {"verify_signature": False, "verify_exp": True}


def parse(token):
    return jwt.decode(token, options=DECODE_OPTIONS)
