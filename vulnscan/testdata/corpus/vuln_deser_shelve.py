# label: vulnerable CWE-502
# round: 1
import shelve


def session_data(session_file, key):
    with shelve.open(session_file) as db:
        return db.get(key)
