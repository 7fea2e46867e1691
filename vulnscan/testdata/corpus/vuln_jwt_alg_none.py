# label: vulnerable CWE-347
# round: 1
import jwt


def parse(token, key):
    return jwt.decode(token, key, algorithms=["HS256", "none"])
