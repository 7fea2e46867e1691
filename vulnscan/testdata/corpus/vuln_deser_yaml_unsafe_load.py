# label: vulnerable CWE-502
# round: 2
import yaml


def docs(text):
    return yaml.unsafe_load(text)
