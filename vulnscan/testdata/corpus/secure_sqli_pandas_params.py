# label: secure
# round: 1
import pandas as pd


def user_events(engine, user_id):
    return pd.read_sql("SELECT * FROM events WHERE user_id = %(uid)s", engine, params={"uid": user_id})
