# label: vulnerable CWE-327
# round: 2
import ssl


def legacy_context():
    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)
