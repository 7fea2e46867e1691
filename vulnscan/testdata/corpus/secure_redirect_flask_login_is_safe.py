# label: secure
# round: 3
from urllib.parse import urlparse, urljoin
from flask import Blueprint, request, redirect, url_for
from flask_login import login_user

bp = Blueprint("auth", __name__)


def is_safe_url(target):
    ref = urlparse(request.host_url)
    test = urlparse(urljoin(request.host_url, target))
    return test.scheme in ("http", "https") and ref.netloc == test.netloc


@bp.route("/login", methods=["POST"])
def login():
    login_user(load_user(request.form["email"]))
    nxt = request.args.get("next")
    if not is_safe_url(nxt):
        return redirect(url_for("index"))
    return redirect(nxt or url_for("index"))
