# label: secure
# round: 2
import os
import tempfile


def spool():
    fd, name = tempfile.mkstemp(prefix="spool")
    return os.fdopen(fd, "w"), name
