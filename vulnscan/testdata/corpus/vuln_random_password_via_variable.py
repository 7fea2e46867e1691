# label: vulnerable CWE-330
# round: 2
import random
import string


def reset(user):
    tmp = "".join(random.choices(string.ascii_letters + string.digits, k=10))
    user.password = tmp
    user.save()
    return tmp
