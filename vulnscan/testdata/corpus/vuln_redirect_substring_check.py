# label: vulnerable CWE-601
# round: 1
from flask import request, redirect, abort


def continue_to():
    url = request.args["return_to"]
    if "example.com" not in url:
        abort(400)
    return redirect(url)
