# label: secure
# round: 3
import random


def deal(players, deck):
    random.shuffle(deck)
    return {p: [deck.pop() for _ in range(5)] for p in players}
