# label: secure
# round: 2
import secrets
import string


def make_temp_password(n=16):
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(n))
