# label: secure
# round: 3
import os
import stat


def lock_down(path):
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
