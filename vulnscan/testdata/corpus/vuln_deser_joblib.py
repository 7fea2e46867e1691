# label: vulnerable CWE-502
# round: 3
import joblib


def load_classifier(path):
    return joblib.load(path)
