# label: vulnerable CWE-78
# round: 3
import subprocess
from flask import request


def thumbnail():
    src = request.form["path"]
    subprocess.run(f"convert {src} -resize 128x128 /tmp/thumb.png", shell=True, check=True)
    return "ok"
