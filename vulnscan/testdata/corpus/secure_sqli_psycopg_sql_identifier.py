# label: secure
# round: 2
from psycopg2 import sql


def truncate(conn, table):
    with conn.cursor() as cur:
        cur.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table)))
