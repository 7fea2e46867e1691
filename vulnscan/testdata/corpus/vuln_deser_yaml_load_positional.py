# label: vulnerable CWE-502
# round: 1
import yaml


def load_config(path):
    with open(path) as fh:
        return yaml.load(fh, yaml.Loader)
