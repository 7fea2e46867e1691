# label: secure
# round: 3
import shutil
from flask import request


def drop_workspace():
    ws = int(request.json["id"])
    shutil.rmtree(f"/srv/workspaces/{ws}")
    return "", 204
