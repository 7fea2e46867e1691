# label: secure
# round: 3
import hmac
import os
from flask import request, abort


def admin():
    if not hmac.compare_digest(request.headers.get("X-Admin-Token", ""), os.environ["ADMIN_TOKEN"]):
        abort(403)
    return "welcome"
