# label: secure
# round: 1
import random


def sample_for_review(rows, fraction=0.05):
    k = max(1, int(len(rows) * fraction))
    return random.sample(rows, k)
