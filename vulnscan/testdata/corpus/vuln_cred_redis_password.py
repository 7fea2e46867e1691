# label: vulnerable CWE-798
# round: 3
import redis

cache = redis.Redis(host="cache.internal", port=6379, password="r3d1s-pr0d-pw")
