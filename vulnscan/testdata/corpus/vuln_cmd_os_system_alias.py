# label: vulnerable CWE-78
# round: 2
from os import system as sh


def notify(user):
    sh("wall 'hello %s'" % user)
