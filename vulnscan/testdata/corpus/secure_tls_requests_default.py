# label: secure
# round: 3
import requests


def call(method, url, **kw):
    return requests.request(method, url, timeout=10, **kw)
