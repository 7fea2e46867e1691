# label: vulnerable CWE-22
# round: 2
from pathlib import Path

DOCS = Path("/srv/docs")


def read_doc(page):
    target = DOCS / page
    if not target.is_relative_to(DOCS):
        raise ValueError("outside docs")
    return target.read_text()
