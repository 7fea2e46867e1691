# label: vulnerable CWE-798
# round: 2
import psycopg2


def connect():
    return psycopg2.connect(host="db", dbname="app", user="app", password="pg_pass_7781")
