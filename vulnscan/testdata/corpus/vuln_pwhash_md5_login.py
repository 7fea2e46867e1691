# label: vulnerable CWE-916
# round: 1
import hashlib


def check_login(user, supplied_pw):
    return user.pw_hash == hashlib.md5(supplied_pw.encode()).hexdigest()
