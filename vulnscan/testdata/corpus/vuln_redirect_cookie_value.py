# label: vulnerable CWE-601
# round: 2
from flask import request, redirect


def resume():
    return redirect(request.cookies.get("return_url", "/"))
