# label: vulnerable CWE-79
# round: 2
from flask import request, make_response


def err():
    reason = request.args.get("reason", "")
    return make_response("<p>Error: %s</p>" % reason, 400)
