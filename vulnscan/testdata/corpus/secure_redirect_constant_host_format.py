# label: secure
# round: 2
from flask import request, redirect

REGIONS = {"eu": "https://eu.example.com/", "us": "https://us.example.com/"}


def regional():
    return redirect(REGIONS.get(request.args.get("region", "eu"), "https://example.com/"))
