# label: secure
# round: 2
import os

ROOT = "/srv/site"


def page(rel):
    full = os.path.realpath(os.path.join(ROOT, rel))
    if not full.startswith(f"{ROOT}/"):
        raise PermissionError(rel)
    return open(full).read()
