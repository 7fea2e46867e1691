# label: secure
# round: 1
import certifi
import urllib3

http = urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())


def get(url):
    return http.request("GET", url).data
