# label: vulnerable CWE-22
# round: 3
import os

BASE = "/srv/data"


def read(name):
    path = os.path.join(BASE, name)
    content = open(path).read()
    real = os.path.realpath(path)
    if not real.startswith(BASE + os.sep):
        return None
    return content
