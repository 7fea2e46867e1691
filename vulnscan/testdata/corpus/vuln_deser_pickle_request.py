# label: vulnerable CWE-502
# round: 1
import pickle
from flask import request


def restore():
    state = pickle.loads(request.get_data())
    return {"keys": list(state)}
