# label: vulnerable CWE-601
# round: 1
from urllib.parse import urlparse
from flask import request, redirect


def bounce():
    target = request.values.get("to", "/")
    host = urlparse(target).hostname or ""
    if host.endswith("example.org"):
        return redirect(target)
    return redirect("/")
