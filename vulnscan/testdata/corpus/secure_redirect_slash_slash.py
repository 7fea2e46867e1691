# label: secure
# round: 1
from flask import request, redirect


def after_signup():
    nxt = request.args.get("next", "/")
    if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        nxt = "/"
    return redirect(nxt)
