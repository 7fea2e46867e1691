# label: vulnerable CWE-601
# round: 1
from flask import Flask, request, Response

app = Flask(__name__)


@app.route("/out")
def out():
    resp = Response(status=302)
    resp.headers["Location"] = request.args.get("u")
    return resp
