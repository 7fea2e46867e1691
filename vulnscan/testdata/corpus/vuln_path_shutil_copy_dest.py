# label: vulnerable CWE-22
# round: 2
import os
import shutil
from flask import request

DEST = "/srv/exports"


def export():
    shutil.copy("/srv/data/report.csv", os.path.join(DEST, request.form["name"]))
    return "ok"
