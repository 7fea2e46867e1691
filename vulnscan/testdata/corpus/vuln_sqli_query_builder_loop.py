# label: vulnerable CWE-89
# round: 3
def filter_rows(cur, filters):
    sql = "SELECT * FROM items WHERE 1=1"
    for col, val in filters.items():
        sql += f" AND {col} = '{val}'"
    cur.execute(sql)
    return cur.fetchall()
