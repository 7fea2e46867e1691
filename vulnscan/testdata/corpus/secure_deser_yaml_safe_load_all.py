# label: secure
# round: 2
import yaml


def docs(stream):
    return list(yaml.safe_load_all(stream))
