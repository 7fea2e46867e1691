# label: vulnerable CWE-502
# round: 3
import yaml
from flask import request


def import_settings():
    return yaml.load(request.data)
