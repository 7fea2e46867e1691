# label: secure
# round: 2
import jwt


def verify(token, key):
    return jwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp", "sub"]})
