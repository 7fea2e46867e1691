# label: secure
# round: 1
import requests


def health(url):
    return requests.get(url, timeout=5, verify="/etc/ssl/certs/internal-ca.pem").status_code
