# label: vulnerable CWE-601
# round: 3
from flask import request, redirect


def external():
    link = request.args.get("link", "")
    if link.find("trusted.example") != -1:
        return redirect(link)
    return "refused", 400
