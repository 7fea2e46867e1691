# label: secure
# round: 3
import json
import redis

r = redis.Redis()


def get_cached(key):
    raw = r.get(key)
    return json.loads(raw) if raw else None
