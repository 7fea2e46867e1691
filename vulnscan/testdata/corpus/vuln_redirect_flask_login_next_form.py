# label: vulnerable CWE-601
# round: 3
from flask import Blueprint, request, redirect, render_template
from flask_login import login_user

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = check_credentials(request.form["email"], request.form["password"])
        if user:
            login_user(user)
            return redirect(request.form.get("next") or "/")
    return render_template("login.html")
