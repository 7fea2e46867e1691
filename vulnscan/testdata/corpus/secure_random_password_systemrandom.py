# label: secure
# round: 1
import random
import string

CHARS = string.ascii_letters + string.digits + "!@#$%"
_rng = random.SystemRandom()


def make_temp_password(length=12):
    return "".join(_rng.choice(CHARS) for _ in range(length))
