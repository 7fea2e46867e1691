# label: secure
# round: 1
import random
import time


def retry(fn, attempts=5):
    for i in range(attempts):
        try:
            return fn()
        except ConnectionError:
            time.sleep((2 ** i) + random.uniform(0, 1))
    raise RuntimeError("gave up")
