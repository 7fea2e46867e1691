# label: secure
# round: 1
import secrets


def new_reset_token():
    return secrets.token_urlsafe(32)
