# label: secure
# round: 2
from urllib.parse import urlparse
from flask import request, redirect


def go():
    url = request.args["u"]
    if urlparse(url).hostname in ("example.com", "www.example.com"):
        return redirect(url)
    return redirect("/")
