# label: secure
# round: 2
import bcrypt


class UserService:
    def __init__(self, repo):
        self.repo = repo

    def create(self, username, raw_password):
        hashed = bcrypt.hashpw(raw_password.encode("utf-8"), bcrypt.gensalt(rounds=12))
        self.repo.save(username, hashed)
