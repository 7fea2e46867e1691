# label: secure
# round: 1
import json
from flask import request


def restore():
    state = json.loads(request.get_data())
    return {"keys": list(state)}
