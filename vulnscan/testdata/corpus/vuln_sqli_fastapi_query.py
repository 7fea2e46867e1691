# label: vulnerable CWE-89
# round: 2
import sqlite3
from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
def items(category: str):
    db = sqlite3.connect("app.db")
    return db.execute(f"SELECT * FROM items WHERE category = '{category}'").fetchall()
