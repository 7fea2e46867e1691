# label: secure
# round: 1
import ast
from flask import request


def calc():
    expr = request.args.get("expr", "0")
    return str(ast.literal_eval(expr))
