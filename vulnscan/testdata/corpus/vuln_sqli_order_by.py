# label: vulnerable CWE-89
# round: 1
import sqlite3
from flask import request


def list_products():
    sort = request.args.get("sort", "name")
    con = sqlite3.connect("shop.db")
    return con.execute("SELECT id, name, price FROM products ORDER BY " + sort).fetchall()
