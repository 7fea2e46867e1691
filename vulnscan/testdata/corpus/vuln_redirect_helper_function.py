# label: vulnerable CWE-601
# round: 2
from flask import request, redirect


def _target():
    return request.args.get("target") or request.referrer or "/"


def back():
    return redirect(_target())
