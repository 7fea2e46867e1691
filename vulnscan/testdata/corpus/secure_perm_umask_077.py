# label: secure
# round: 2
import os


def daemonize():
    os.umask(0o077)
