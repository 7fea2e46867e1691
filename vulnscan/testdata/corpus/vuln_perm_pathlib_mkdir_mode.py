# label: vulnerable CWE-732
# round: 3
from pathlib import Path


def shared_cache():
    Path("/var/cache/app").mkdir(mode=0o777, parents=True, exist_ok=True)
