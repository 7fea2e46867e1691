# label: vulnerable CWE-89
# round: 2
def get_user(cur, name):
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    row = cur.fetchone()
    if row is None:
        return Non
