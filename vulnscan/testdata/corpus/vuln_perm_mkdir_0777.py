# label: vulnerable CWE-732
# round: 3
import os


def spool_dir(path):
    os.mkdir(path, 0o777)
