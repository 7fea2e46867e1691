# label: vulnerable CWE-330
# round: 1
import random
import string


def new_reset_token():
    alphabet = string.ascii_letters + string.digits
    return "".join(random.choice(alphabet) for _ in range(32))
