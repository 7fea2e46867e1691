# label: secure
# round: 3
import hashlib


def store_blob(store, blob):
    key = hashlib.sha256(blob).hexdigest()
    store[key] = blob
    return key
