# label: vulnerable CWE-601
# round: 3
from flask import request, redirect


def back():
    return redirect(request.args["next"])


def broken(
