# label: vulnerable CWE-916
# round: 3
import hashlib
import os


class Account:
    def set_password(self, pw):
        self.salt = os.urandom(8).hex()
        self.digest = hashlib.sha1((self.salt + pw).encode()).hexdigest()
