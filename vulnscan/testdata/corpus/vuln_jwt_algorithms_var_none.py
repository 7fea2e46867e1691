# label: vulnerable CWE-347
# round: 3
import jwt

ALGS = ["none", "HS256"]


def claims(token, key):
    return jwt.decode(token, key, algorithms=ALGS)
