# label: vulnerable CWE-78
# round: 3
import os


def backup_db(dbname):
    os.system("pg_dump {} > /backups/{}.sql".format(dbname, dbname))
