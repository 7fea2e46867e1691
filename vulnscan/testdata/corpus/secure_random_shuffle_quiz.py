# label: secure
# round: 1
import random


def build_quiz(questions, n=10):
    picked = random.sample(questions, n)
    random.shuffle(picked)
    return picked
