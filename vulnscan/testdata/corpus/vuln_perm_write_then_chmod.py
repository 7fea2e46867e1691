# label: vulnerable CWE-732
# round: 3
import os


def write_config(path, text):
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o646)
