# label: secure
# round: 3
def explain():
    """Never call os.system(user_input) or pickle.loads(untrusted) or
    yaml.load(data) or eval(expr), and never hash passwords with
    hashlib.sha256(password)."""
    return "read the docs"
