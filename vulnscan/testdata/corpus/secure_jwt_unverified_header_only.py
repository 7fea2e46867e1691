# label: secure
# round: 3
import jwt


def token_kid(token):
    return jwt.get_unverified_header(token).get("kid")
