# label: vulnerable CWE-330
# round: 2
import numpy as np


def api_token():
    return "".join(np.random.choice(list("abcdef0123456789"), 32))
