# label: secure
# round: 1
from sqlalchemy import text


def find_orders(engine, customer):
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM orders WHERE customer = :c"), {"c": customer})
        return rows.fetchall()
