# label: vulnerable CWE-89
# round: 1
from sqlalchemy import text


def find_orders(engine, customer):
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT * FROM orders WHERE customer = '{customer}'"))
        return rows.fetchall()
