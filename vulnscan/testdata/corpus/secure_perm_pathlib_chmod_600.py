# label: secure
# round: 1
from pathlib import Path


def protect(p):
    Path(p).chmod(0o600)
