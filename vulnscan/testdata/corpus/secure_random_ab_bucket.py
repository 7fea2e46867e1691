# label: secure
# round: 3
import random


def assign_variant(user_id):
    rnd = random.Random(user_id)
    return "A" if rnd.random() < 0.5 else "B"
