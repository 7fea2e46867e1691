# label: vulnerable CWE-22
# round: 1
import os
from flask import request

UPLOADS = "/data/uploads"


def fetch():
    name = request.args.get("name", "")
    path = os.path.realpath(os.path.join(UPLOADS, name))
    if request.args.get("strict"):
        if not path.startswith(UPLOADS + os.sep):
            return "no", 403
    else:
        with open(path) as fh:
            return fh.read()
    return "ok"
