# label: secure
# round: 3
QUERY = "SELECT id, name FROM teams ORDER BY name"


def teams(cur):
    cur.execute(QUERY)
    return cur.fetchall()
