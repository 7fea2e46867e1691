# label: secure
# round: 3
import mysql.connector


def get_order(order_id):
    cnx = mysql.connector.connect(option_files="/etc/app/my.cnf")
    cur = cnx.cursor()
    cur.execute("SELECT * FROM orders WHERE id = %s", (order_id,))
    return cur.fetchone()
