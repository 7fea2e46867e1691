# label: vulnerable CWE-330
# round: 2
import random
import string
from flask import session


def csrf_token():
    if "_csrf" not in session:
        session["_csrf"] = "".join(random.choice(string.ascii_letters) for _ in range(40))
    return session["_csrf"]
