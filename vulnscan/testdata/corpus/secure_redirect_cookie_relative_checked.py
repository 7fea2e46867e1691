# label: secure
# round: 2
from urllib.parse import urlparse
from flask import request, redirect


def resume():
    url = request.cookies.get("return_url", "/")
    parts = urlparse(url)
    if parts.scheme or parts.netloc:
        url = "/"
    return redirect(url)
