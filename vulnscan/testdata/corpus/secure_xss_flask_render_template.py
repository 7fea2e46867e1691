# label: secure
# round: 3
from flask import Flask, request, render_template

app = Flask(__name__)


@app.route("/u")
def user():
    return render_template("user.html", name=request.args.get("name"))
