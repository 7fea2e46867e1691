# label: secure
# round: 3
from flask import send_file, abort

FILES = {"1": "/srv/attachments/terms.pdf", "2": "/srv/attachments/price-list.pdf"}


def attachment(file_id):
    path = FILES.get(file_id)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True)
