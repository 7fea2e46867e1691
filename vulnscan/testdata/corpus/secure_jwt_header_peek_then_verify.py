# label: secure
# round: 2
import jwt

KEYS = {"k1": "-----BEGIN PUBLIC KEY-----\nMIIB...\n-----END PUBLIC KEY-----"}


def verify(token):
    kid = jwt.get_unverified_header(token)["kid"]
    return jwt.decode(token, KEYS[kid], algorithms=["RS256"])
