# label: vulnerable CWE-732
# round: 1
from pathlib import Path


def share(p):
    Path(p).chmod(0o666)
