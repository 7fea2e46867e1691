# label: vulnerable CWE-89
# round: 2
def delete_user(conn, username):
    with conn.cursor() as cur:
        cur.execute(
            "DELETE FROM users "
            "WHERE username = '" + username + "'"
        )
    conn.commit()
