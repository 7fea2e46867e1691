# label: vulnerable CWE-377
# round: 2
import os


def spool():
    name = os.tempnam("/tmp", "spool")
    return open(name, "w")
