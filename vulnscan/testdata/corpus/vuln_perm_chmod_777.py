# label: vulnerable CWE-732
# round: 1
import os


def publish(path):
    os.chmod(path, 0o777)
