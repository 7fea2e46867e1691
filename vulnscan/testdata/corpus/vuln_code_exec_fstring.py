# label: vulnerable CWE-94
# round: 2
def make_getter(field):
    exec(f"def get(obj): return obj.{field}", globals())
    return globals()["get"]
