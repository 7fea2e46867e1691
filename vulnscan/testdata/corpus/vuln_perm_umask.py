# label: vulnerable CWE-732
# round: 2
import os


def daemonize():
    os.umask(0)
