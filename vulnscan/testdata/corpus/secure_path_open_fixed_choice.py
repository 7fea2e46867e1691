# label: secure
# round: 2
from flask import request

LOGS = ("/var/log/app/access.log", "/var/log/app/error.log")


def view_log():
    which = int(request.args.get("i", 0)) % len(LOGS)
    with open(LOGS[which]) as fh:
        return fh.read()
