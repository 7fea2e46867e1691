# label: vulnerable CWE-502
# round: 3
import pickle
import redis

r = redis.Redis()


def get_cached(key):
    raw = r.get(key)
    return pickle.loads(raw) if raw else None
