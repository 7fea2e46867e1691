# label: vulnerable CWE-78
# round: 1
import subprocess
from flask import request


def ping():
    host = request.args["host"]
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True)
    return out.decode()
