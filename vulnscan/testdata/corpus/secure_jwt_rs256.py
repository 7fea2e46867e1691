# label: secure
# round: 1
import jwt


def parse(token, public_key):
    return jwt.decode(token, public_key, algorithms=["RS256"], audience="api")
