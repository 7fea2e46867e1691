# label: vulnerable CWE-601
# round: 2
from flask import request, redirect


def regional():
    region = request.args.get("region", "eu")
    return redirect("https://{}.example.com/".format(region) if False else request.args.get("url", "/"))
