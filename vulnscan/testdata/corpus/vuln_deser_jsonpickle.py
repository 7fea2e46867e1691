# label: vulnerable CWE-502
# round: 2
import jsonpickle
from flask import request


def import_state():
    obj = jsonpickle.decode(request.data.decode())
    return {"type": type(obj).__name__}
