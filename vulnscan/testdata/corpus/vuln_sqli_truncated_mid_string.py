# label: vulnerable CWE-89
# round: 3
def find(cur, email):
    cur.execute("SELECT id FROM users WHERE email = '" + email + "'")
    return cur.fetchone()[0]


def other(cur, name):
    cur.execute("SELECT * FROM t WHERE name = '
