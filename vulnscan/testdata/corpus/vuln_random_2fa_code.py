# label: vulnerable CWE-330
# round: 3
import random


def issue_2fa_code(user, cache):
    code = "".join(random.choice("0123456789") for _ in range(6))
    cache.set(f"2fa:{user.id}", code, timeout=300)
    return code
