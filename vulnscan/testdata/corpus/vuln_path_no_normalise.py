# label: vulnerable CWE-22
# round: 1
import os

ROOT = "/var/app/static/"


def read_asset(rel):
    path = os.path.join(ROOT, rel)
    if not path.startswith(ROOT):
        raise ValueError("bad path")
    with open(path, "rb") as f:
        return f.read()
