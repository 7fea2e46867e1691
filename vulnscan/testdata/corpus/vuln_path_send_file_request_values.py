# label: vulnerable CWE-22
# round: 3
from flask import request, send_file


def attachment():
    return send_file("/srv/attachments/" + request.values["name"], as_attachment=True)
