# label: secure
# round: 2
from string import Template


def greeting(name):
    return Template("Hello $name").substitute(name=name)
