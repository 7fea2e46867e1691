# label: secure
# round: 2
import os
import psycopg2


def connect():
    return psycopg2.connect(host="db", dbname="app", user="app", password=os.environ["PGPASSWORD"])
