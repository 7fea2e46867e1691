# label: vulnerable CWE-295
# round: 1
import requests

session = requests.Session()
session.verify = False


def fetch(url):
    return session.get(url).text
