# label: vulnerable CWE-601
# round: 1
from flask import request, redirect


def sso_callback():
    back = request.args.get("back", "")
    if back.startswith("https://example.com"):
        return redirect(back)
    return redirect("/")
