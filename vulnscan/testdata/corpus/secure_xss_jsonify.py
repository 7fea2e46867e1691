# label: secure
# round: 2
from flask import request, jsonify


def err():
    reason = request.args.get("reason", "")
    return jsonify(error=reason), 400
