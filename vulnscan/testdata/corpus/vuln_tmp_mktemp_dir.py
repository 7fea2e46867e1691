# label: vulnerable CWE-377
# round: 3
import tempfile
import os


def work_file():
    path = tempfile.mktemp(dir="/var/tmp")
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    return fd, path
