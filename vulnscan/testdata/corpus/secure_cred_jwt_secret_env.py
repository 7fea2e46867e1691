# label: secure
# round: 1
import os
import jwt

JWT_SECRET = os.environ.get("JWT_SECRET")


def issue(user_id):
    return jwt.encode({"sub": user_id}, JWT_SECRET, algorithm="HS256")
