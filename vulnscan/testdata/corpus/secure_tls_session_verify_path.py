# label: secure
# round: 1
import requests

session = requests.Session()
session.verify = "/etc/ssl/certs/ca-certificates.crt"


def fetch(url):
    return session.get(url).text
