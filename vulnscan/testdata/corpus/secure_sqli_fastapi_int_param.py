# label: secure
# round: 2
import sqlite3
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
def item(item_id: int):
    db = sqlite3.connect("app.db")
    return db.execute(f"SELECT * FROM items WHERE id = {item_id}").fetchone()
