# label: secure
# round: 3
import subprocess
from flask import request


def thumbnail():
    src = request.form["path"]
    subprocess.run(["convert", src, "-resize", "128x128", "/tmp/thumb.png"], check=True)
    return "ok"
