# label: vulnerable CWE-601
# round: 2
import re
from flask import request, redirect


def go():
    url = request.args["u"]
    if re.search(r"example\.com", url):
        return redirect(url)
    return redirect("/")
