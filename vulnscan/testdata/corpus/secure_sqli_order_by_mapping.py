# label: secure
# round: 1
import sqlite3
from flask import request

SORTS = {"name": "name", "price": "price", "newest": "created_at DESC"}


def list_products():
    sort = SORTS.get(request.args.get("sort", "name"), "name")
    con = sqlite3.connect("shop.db")
    return con.execute("SELECT id, name, price FROM products ORDER BY " + sort).fetchall()
