# label: vulnerable CWE-22
# round: 3
import tarfile


def restore_backup(fileobj, target):
    archive = tarfile.open(fileobj=fileobj, mode="r:gz")
    archive.extractall(path=target)
    archive.close()
