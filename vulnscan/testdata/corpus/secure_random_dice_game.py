# label: secure
# round: 1
import random


def roll(sides=6, count=2):
    return [random.randint(1, sides) for _ in range(count)]


if __name__ == "__main__":
    print(roll())
