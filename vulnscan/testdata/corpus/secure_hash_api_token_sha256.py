# label: secure
# round: 2
import hashlib
import secrets


def new_api_token():
    token = secrets.token_urlsafe(32)
    # store only a digest of the random token (it has 256 bits of entropy)
    return token, hashlib.sha256(token.encode()).hexdigest()
