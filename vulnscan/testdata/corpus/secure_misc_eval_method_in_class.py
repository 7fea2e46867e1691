# label: secure
# round: 3
class Expr:
    def __init__(self, tree):
        self.tree = tree

    def eval(self, env):
        return self.tree.evaluate(env)


def run(expr, env):
    return expr.eval(env)
