# label: vulnerable CWE-502
# round: 2
import pandas as pd


def load_frame(path):
    return pd.read_pickle(path)
