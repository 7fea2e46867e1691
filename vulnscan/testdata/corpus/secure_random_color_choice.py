# label: secure
# round: 2
import random

PALETTE = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8"]


def avatar_color(username):
    random.seed(username)
    return random.choice(PALETTE)
