# label: vulnerable CWE-22
# round: 2
import os
from flask import Flask, request, send_file

app = Flask(__name__)


@app.route("/logs")
def logs():
    day = request.args.get("day")
    return send_file("/var/log/app/" + day + ".log")
