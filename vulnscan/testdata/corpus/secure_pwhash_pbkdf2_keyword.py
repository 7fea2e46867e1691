# label: secure
# round: 2
import hashlib
import os


def change_password(user, new_password):
    salt = os.urandom(16)
    user.pw = hashlib.pbkdf2_hmac(hash_name="sha256", password=new_password.encode(), salt=salt, iterations=310000)
    user.salt = salt
