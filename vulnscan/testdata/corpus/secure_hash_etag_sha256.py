# label: secure
# round: 1
import hashlib
import json


def etag_for(payload):
    body = json.dumps(payload, sort_keys=True).encode()
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
