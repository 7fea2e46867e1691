# label: vulnerable CWE-347
# round: 2
import jwt


def user_from(token):
    return jwt.decode(token, verify=False)["user"]
