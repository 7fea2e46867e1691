# label: secure
# round: 3
from urllib.parse import urlparse
from flask import request, redirect


def bounce():
    target = request.args.get("url", "/")
    if urlparse(target).netloc not in ("", request.host):
        target = "/"
    return redirect(target)
