# label: vulnerable CWE-79
# round: 2
from markupsafe import Markup
from flask import request


def banner():
    return Markup(f"<strong>{request.args.get('text', '')}</strong>")
