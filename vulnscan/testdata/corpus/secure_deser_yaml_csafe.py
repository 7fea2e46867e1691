# label: secure
# round: 3
import yaml


def parse(text):
    return yaml.load(text, Loader=yaml.CSafeLoader)
