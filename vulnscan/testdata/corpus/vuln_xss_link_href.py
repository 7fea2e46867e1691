# label: vulnerable CWE-79
# round: 3
from flask import request


def link():
    url = request.args.get("url", "")
    return '<a href="' + url + '">continue</a>'
