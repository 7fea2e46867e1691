# label: vulnerable CWE-916
# round: 2
import hashlib


class UserService:
    def __init__(self, repo):
        self.repo = repo

    def create(self, username, raw_password):
        hashed = hashlib.sha256(raw_password.encode("utf-8")).hexdigest()
        self.repo.save(username, hashed)
