# label: secure
# round: 3
from flask import request, redirect

SECTIONS = ("news", "sport", "weather")


def section():
    name = request.args.get("s", "news")
    if name not in SECTIONS:
        name = "news"
    return redirect("/" + name)
