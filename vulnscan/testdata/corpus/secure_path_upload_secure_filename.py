# label: secure
# round: 2
import os
from flask import request
from werkzeug.utils import secure_filename

UPLOAD = "/srv/uploads"


def upload():
    f = request.files["file"]
    f.save(os.path.join(UPLOAD, secure_filename(f.filename)))
    return "saved"
