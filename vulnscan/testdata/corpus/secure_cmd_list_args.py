# label: secure
# round: 1
import subprocess
from flask import request


def ping():
    host = request.args["host"]
    out = subprocess.check_output(["ping", "-c", "1", host])
    return out.decode()
