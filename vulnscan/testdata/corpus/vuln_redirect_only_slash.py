# label: vulnerable CWE-601
# round: 1
from flask import request, redirect


def after_signup():
    nxt = request.args.get("next", "/")
    if not nxt.startswith("/"):
        nxt = "/"
    return redirect(nxt)
