# label: vulnerable CWE-347
# round: 3
import jwt
from flask import request, g


def load_user():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    g.user = jwt.decode(token, options={"verify_signature": False, "verify_exp": False})["sub"]
