# label: vulnerable CWE-502
# round: 2
import numpy as np


def load_arrays(path):
    return np.load(path, allow_pickle=True)
