# label: secure
# round: 2
from flask import request, jsonify


def preview_link():
    url = request.args.get("url", "")
    return jsonify({"url": url, "note": "we do not follow this link"})
