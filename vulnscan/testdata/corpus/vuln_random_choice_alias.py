# label: vulnerable CWE-330
# round: 3
import random as rnd


def generate_api_key():
    return "".join(rnd.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(24))
