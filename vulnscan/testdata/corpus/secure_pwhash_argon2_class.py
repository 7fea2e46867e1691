# label: secure
# round: 3
from argon2 import PasswordHasher


class Account:
    _ph = PasswordHasher()

    def set_password(self, pw):
        self.digest = self._ph.hash(pw)
