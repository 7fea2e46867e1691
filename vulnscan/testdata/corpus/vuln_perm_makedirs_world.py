# label: vulnerable CWE-732
# round: 1
import os


def ensure_cache(folder):
    os.makedirs(folder, mode=0o777, exist_ok=True)
