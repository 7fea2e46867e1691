# label: vulnerable CWE-330
# round: 2
from random import randint


def generate_pin():
    return f"{randint(0, 9999):04d}"
