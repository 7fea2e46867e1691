# label: secure
# round: 3
ALLOWED = {"color", "size", "brand"}


def filter_rows(cur, filters):
    sql = "SELECT * FROM items WHERE 1=1"
    args = []
    for col, val in filters.items():
        if col in ALLOWED:
            sql += " AND " + col + " = ?"
            args.append(val)
    cur.execute(sql, args)
    return cur.fetchall()
