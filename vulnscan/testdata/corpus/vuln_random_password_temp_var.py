# label: vulnerable CWE-330
# round: 3
import random
import string


def provision_account(users, name):
    chars = string.ascii_letters + string.digits
    initial_password = "".join(random.choice(chars) for _ in range(10))
    users.create(name=name, password=initial_password)
    return initial_password
