# label: secure
# round: 1
from flask import request, send_file

REPORTS = {"q1": "/srv/reports/q1.pdf", "q2": "/srv/reports/q2.pdf"}


def report():
    which = request.args.get("q", "q1")
    return send_file(REPORTS.get(which, "/srv/reports/q1.pdf"))
