# label: secure
# round: 1
OPS = {"add": "1 + 2", "mul": "3 * 4"}


def demo(op):
    return eval(OPS.get(op, "0"))
