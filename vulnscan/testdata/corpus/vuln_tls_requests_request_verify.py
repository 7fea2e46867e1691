# label: vulnerable CWE-295
# round: 3
import requests


def call(method, url, **kw):
    return requests.request(method, url, verify=False, **kw)
