# label: secure
# round: 1
from werkzeug.security import generate_password_hash, check_password_hash


def set_password(user, password):
    user.password_hash = generate_password_hash(password)


def verify(user, password):
    return check_password_hash(user.password_hash, password)
