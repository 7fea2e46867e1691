# label: secure
# round: 3
import random


def draw_winners(entries, k=3):
    return random.sample(entries, k)
