# label: vulnerable CWE-798
# round: 3
from flask import request, abort


def admin():
    if request.headers.get("X-Admin-Token") != "letmein-2024-admin":
        abort(403)
    return "welcome"
