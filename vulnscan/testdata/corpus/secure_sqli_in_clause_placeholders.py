# label: secure
# round: 2
def fetch_many(cur, ids):
    marks = ",".join("?" * len(ids))
    cur.execute("SELECT * FROM t WHERE id IN (%s)" % marks, ids)
    return cur.fetchall()
