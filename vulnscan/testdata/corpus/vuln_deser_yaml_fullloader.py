# label: vulnerable CWE-502
# round: 1
import yaml


def parse(text):
    return yaml.load(text, Loader=yaml.FullLoader)
