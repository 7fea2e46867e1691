# label: vulnerable CWE-502
# round: 3
import marshal


def load_pyc(path):
    with open(path, "rb") as fh:
        fh.read(16)
        return marshal.load(fh)
