# label: secure
# round: 2
import re
from flask import request, redirect


def go():
    url = request.args["u"]
    if re.fullmatch(r"/[a-z0-9_/-]*", url):
        return redirect(url)
    return redirect("/")
