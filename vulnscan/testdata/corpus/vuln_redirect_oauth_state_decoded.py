# label: vulnerable CWE-601
# round: 3
import base64
import json
from flask import request, redirect


def oauth_callback():
    state = json.loads(base64.urlsafe_b64decode(request.args["state"]))
    return redirect(state["return_to"])
