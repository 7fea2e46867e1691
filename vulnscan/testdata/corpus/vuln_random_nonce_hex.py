# label: vulnerable CWE-330
# round: 3
import random


def new_nonce():
    return "".join("%02x" % random.randint(0, 255) for _ in range(16))
