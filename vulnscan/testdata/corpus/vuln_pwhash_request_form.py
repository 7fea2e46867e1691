# label: vulnerable CWE-916
# round: 2
import hashlib
from flask import request


def change_password(user):
    new = request.form["new_password"]
    user.pw = hashlib.sha512(new.encode()).hexdigest()
