# label: secure
# round: 2
from random import randint


def enemy_damage(level):
    return randint(1, 6) * level
