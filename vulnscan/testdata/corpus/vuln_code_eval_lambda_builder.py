# label: vulnerable CWE-94
# round: 3
def make_filter(expr):
    return eval("lambda row: " + expr)
