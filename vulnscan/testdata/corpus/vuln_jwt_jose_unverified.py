# label: vulnerable CWE-347
# round: 2
from jose import jwt


def peek(token):
    return jwt.get_unverified_claims(token)
