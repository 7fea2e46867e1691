# label: vulnerable CWE-295
# round: 2
import ssl
import urllib.request


def fetch(url):
    ctx = ssl._create_unverified_context()
    return urllib.request.urlopen(url, context=ctx).read()
