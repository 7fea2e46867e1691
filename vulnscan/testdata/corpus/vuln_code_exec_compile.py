# label: vulnerable CWE-94
# round: 2
def load_rules(text):
    code = compile(text, "<rules>", "exec")
    ns = {}
    exec(code, ns)
    return ns
