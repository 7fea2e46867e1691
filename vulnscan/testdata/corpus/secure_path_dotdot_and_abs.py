# label: secure
# round: 1
import os
from flask import request, abort

NOTES = "/srv/notes"


def note():
    name = request.args["n"]
    if ".." in name or os.path.isabs(name):
        abort(400)
    with open(os.path.join(NOTES, name)) as fh:
        return fh.read()
