# label: secure
# round: 1
from flask import request, send_file
from werkzeug.utils import safe_join


def download():
    path = safe_join("/srv/public", request.args["f"])
    if path is None:
        return "not found", 404
    return send_file(path)
