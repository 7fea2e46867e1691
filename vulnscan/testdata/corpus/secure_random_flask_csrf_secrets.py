# label: secure
# round: 2
import secrets
from flask import session


def csrf_token():
    if "_csrf" not in session:
        session["_csrf"] = secrets.token_hex(20)
    return session["_csrf"]
