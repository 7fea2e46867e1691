# label: secure
# round: 1
from flask import Flask, Response

app = Flask(__name__)


@app.route("/old-page")
def old_page():
    resp = Response(status=301)
    resp.headers["Location"] = "/new-page"
    return resp
