# label: secure
# round: 1
from argon2 import PasswordHasher

ph = PasswordHasher()


def check_login(user, supplied_pw):
    try:
        return ph.verify(user.pw_hash, supplied_pw)
    except Exception:
        return False
