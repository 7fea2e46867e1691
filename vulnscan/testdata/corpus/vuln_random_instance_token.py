# label: vulnerable CWE-330
# round: 1
import random
import time

rng = random.Random(time.time())


def invite_token():
    return "%016x" % rng.getrandbits(64)
