# label: secure
# round: 3
import ssl
import urllib.request


def opener():
    ctx = ssl.create_default_context(cafile="/etc/ssl/private-ca.pem")
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx))
