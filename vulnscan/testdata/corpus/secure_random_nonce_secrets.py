# label: secure
# round: 3
import secrets


def new_nonce():
    return secrets.token_bytes(16).hex()
