# label: vulnerable CWE-295
# round: 1
import requests


def health(url):
    return requests.get(url, timeout=5, verify=False).status_code
