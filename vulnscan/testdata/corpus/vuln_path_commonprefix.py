# label: vulnerable CWE-22
# round: 1
import os

ROOT = "/var/app/static"


def read_asset(rel):
    path = os.path.realpath(os.path.join(ROOT, rel))
    if os.path.commonprefix([ROOT, path]) != ROOT:
        raise ValueError("bad path")
    with open(path, "rb") as f:
        return f.read()
