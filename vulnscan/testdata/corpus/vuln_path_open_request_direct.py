# label: vulnerable CWE-22
# round: 2
from flask import request


def view_log():
    with open(request.args["log"]) as fh:
        return fh.read()
