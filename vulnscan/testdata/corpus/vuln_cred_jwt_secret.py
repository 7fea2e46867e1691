# label: vulnerable CWE-798
# round: 1
import jwt

JWT_SECRET = "my-super-secret-signing-key"


def issue(user_id):
    return jwt.encode({"sub": user_id}, JWT_SECRET, algorithm="HS256")
