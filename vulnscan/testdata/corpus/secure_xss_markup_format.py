# label: secure
# round: 2
from markupsafe import Markup
from flask import request


def banner():
    return Markup("<strong>{}</strong>").format(request.args.get("text", ""))
