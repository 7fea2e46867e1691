# label: secure
# round: 2
from flask import Flask, request, send_from_directory

app = Flask(__name__)


@app.route("/logs")
def logs():
    day = request.args.get("day")
    return send_from_directory("/var/log/app", day + ".log")
