# label: secure
# round: 1
from passlib.hash import bcrypt


class User:
    def __init__(self, name, password):
        self.name = name
        self.password_digest = bcrypt.hash(password)
