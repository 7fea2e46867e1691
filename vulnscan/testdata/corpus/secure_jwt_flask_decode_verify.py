# label: secure
# round: 3
import os
import jwt
from flask import request, g


def load_user():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    g.user = jwt.decode(token, os.environ["JWT_PUBLIC_KEY"], algorithms=["RS256"])["sub"]
