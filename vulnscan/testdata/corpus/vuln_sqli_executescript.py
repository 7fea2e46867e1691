# label: vulnerable CWE-89
# round: 1
import sqlite3


def create_table(db_path, table):
    con = sqlite3.connect(db_path)
    con.executescript("CREATE TABLE IF NOT EXISTS {} (id INTEGER PRIMARY KEY, body TEXT);".format(table))
    con.commit()
