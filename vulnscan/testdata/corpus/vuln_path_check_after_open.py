# label: vulnerable CWE-22
# round: 1
import os

STORE = "/srv/store"


def load(key):
    path = os.path.realpath(os.path.join(STORE, key))
    with open(path) as fh:
        data = fh.read()
    if not path.startswith(STORE + os.sep):
        raise PermissionError(key)
    return data
