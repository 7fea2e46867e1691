# label: secure
# round: 1
from flask import Flask, request, redirect, url_for

app = Flask(__name__)


@app.route("/login", methods=["POST"])
def login():
    page = request.form.get("page", "index")
    return redirect(url_for("dashboard", tab=page))
