# label: vulnerable CWE-94
# round: 1
from flask import request


def calc():
    expr = request.args.get("expr", "0")
    return str(eval(expr))
