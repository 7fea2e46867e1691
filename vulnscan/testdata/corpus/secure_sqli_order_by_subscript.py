# label: secure
# round: 1
import sqlite3

COLUMNS = {"n": "name", "p": "price"}


def list_products(con, key):
    col = COLUMNS[key]
    return con.execute(f"SELECT id, name, price FROM products ORDER BY {col}").fetchall()
