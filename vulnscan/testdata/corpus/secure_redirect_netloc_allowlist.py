# label: secure
# round: 1
from urllib.parse import urlparse
from flask import request, redirect, abort

ALLOWED_HOSTS = {"example.com", "www.example.com"}


def continue_to():
    url = request.args["return_to"]
    if urlparse(url).netloc not in ALLOWED_HOSTS:
        abort(400)
    return redirect(url)
