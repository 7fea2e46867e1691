# label: vulnerable CWE-22
# round: 3
import shutil
from flask import request


def drop_workspace():
    shutil.rmtree("/srv/workspaces/" + request.json["name"])
    return "", 204
