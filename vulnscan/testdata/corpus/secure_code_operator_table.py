# label: secure
# round: 3
import operator

OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def apply(op, a, b):
    return OPS[op](a, b)
