# label: secure
# round: 2
import os


def create_log(path):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    return os.fdopen(fd, "w")
