# label: vulnerable CWE-601
# round: 1
from flask import Flask, request, redirect

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    # ... authenticate ...
    next_url = request.args.get("next", "/")
    return redirect(next_url)
