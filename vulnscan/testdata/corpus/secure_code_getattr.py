# label: secure
# round: 2
def make_getter(field):
    return lambda obj: getattr(obj, field)
