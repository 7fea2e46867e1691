# label: vulnerable CWE-89
# round: 2
def fetch_many(cur, ids):
    cur.execute("SELECT * FROM t WHERE id IN (%s)" % ",".join(ids))
    return cur.fetchall()
