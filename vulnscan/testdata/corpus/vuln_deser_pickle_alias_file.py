# label: vulnerable CWE-502
# round: 2
import pickle as pkl


def load_model(path):
    with open(path, "rb") as fh:
        return pkl.load(fh)
