# label: secure
# round: 1
import os
from flask import request, send_file

BASE = "/srv/reports"


def download():
    name = request.args["file"]
    full = os.path.realpath(os.path.join(BASE, name))
    if not full.startswith(BASE + os.sep):
        return "forbidden", 403
    return send_file(full)
