# label: secure
# round: 3
from pathlib import Path

BASE = Path("/srv/templates").resolve()


def template_source(name):
    p = (BASE / name).resolve()
    if not p.is_relative_to(BASE):
        raise ValueError(name)
    return p.read_text()
