# label: vulnerable CWE-732
# round: 3
import os


def make_public(path):
    os.chmod(path, int("777", 8))
