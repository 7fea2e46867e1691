# label: secure
# round: 2
import os

BASE = "/srv/docs"


def read_doc(name):
    path = os.path.normpath(os.path.join(BASE, name))
    assert path.startswith(BASE + "/"), "escape"
    with open(path) as fh:
        return fh.read()
