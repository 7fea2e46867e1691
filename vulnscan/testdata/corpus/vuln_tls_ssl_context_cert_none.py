# label: vulnerable CWE-295
# round: 1
import socket
import ssl


def connect(host):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx.wrap_socket(socket.create_connection((host, 443)), server_hostname=host)
