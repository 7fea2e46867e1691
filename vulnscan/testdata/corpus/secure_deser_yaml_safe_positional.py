# label: secure
# round: 1
import yaml


def load_config(path):
    with open(path) as fh:
        return yaml.load(fh, yaml.SafeLoader)
