# label: secure
# round: 3
import bcrypt


def login_ok(user, password):
    return bcrypt.checkpw(password.encode(), user.hashed)
