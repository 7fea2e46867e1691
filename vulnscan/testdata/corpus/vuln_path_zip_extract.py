# label: vulnerable CWE-22
# round: 2
import tarfile


def unpack(archive, dest):
    with tarfile.open(archive) as tf:
        tf.extractall(dest)
