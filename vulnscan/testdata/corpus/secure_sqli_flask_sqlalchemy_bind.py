# label: secure
# round: 3
from flask import request
from sqlalchemy import text


def search_users():
    q = request.args.get("q", "")
    rows = db.session.execute(text("SELECT id, name FROM users WHERE name LIKE :pat"), {"pat": f"%{q}%"})
    return {"users": [dict(r._mapping) for r in rows]}
