# label: vulnerable CWE-22
# round: 3
from pathlib import Path

BASE = Path("/srv/templates")


def template_source(name):
    p = BASE / name
    if not str(p).startswith(str(BASE)):
        raise ValueError(name)
    return p.read_text()
