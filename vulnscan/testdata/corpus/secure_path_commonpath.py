# label: secure
# round: 1
import os

ROOT = "/var/app/static"


def read_asset(rel):
    path = os.path.abspath(os.path.join(ROOT, rel))
    if os.path.commonpath([ROOT, path]) != ROOT:
        raise ValueError("bad path")
    with open(path, "rb") as f:
        return f.read()
