# label: secure
# round: 1
import random

rng = random.Random(42)


def simulate_queue(steps=1000):
    waiting = 0
    for _ in range(steps):
        waiting += rng.choice([-1, 0, 1])
        waiting = max(waiting, 0)
    return waiting
