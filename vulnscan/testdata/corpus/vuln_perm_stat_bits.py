# label: vulnerable CWE-732
# round: 2
import os
import stat


def share(path):
    os.chmod(path, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
