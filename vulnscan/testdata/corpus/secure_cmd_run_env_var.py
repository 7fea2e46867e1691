# label: secure
# round: 3
import os
import subprocess


def backup_db(dbname):
    subprocess.run(["pg_dump", "-f", os.path.join("/backups", "db.sql"), dbname], check=True)
