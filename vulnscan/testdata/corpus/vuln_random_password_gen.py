# label: vulnerable CWE-330
# round: 1
import random
import string

CHARS = string.ascii_letters + string.digits + "!@#$%"


def make_temp_password(length=12):
    return "".join(random.choices(CHARS, k=length))
