# label: vulnerable CWE-78
# round: 1
import os


def disk_usage(folder):
    return os.popen("du -sh " + folder).read()
