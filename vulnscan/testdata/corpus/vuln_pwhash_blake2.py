# label: vulnerable CWE-916
# round: 1
from hashlib import blake2b


class User:
    def __init__(self, name, password):
        self.name = name
        self.password_digest = blake2b(password.encode(), digest_size=32).hexdigest()
