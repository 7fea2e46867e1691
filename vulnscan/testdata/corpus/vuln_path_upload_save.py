# label: vulnerable CWE-22
# round: 2
import os
from flask import request

UPLOAD = "/srv/uploads"


def upload():
    f = request.files["file"]
    f.save(os.path.join(UPLOAD, f.filename))
    return "saved"
