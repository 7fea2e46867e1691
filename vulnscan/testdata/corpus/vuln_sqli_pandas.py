# label: vulnerable CWE-89
# round: 1
import pandas as pd


def user_events(engine, user_id):
    return pd.read_sql("SELECT * FROM events WHERE user_id = '%s'" % user_id, engine)
