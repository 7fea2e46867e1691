# label: secure
# round: 3
import os
import redis

cache = redis.Redis(host="cache.internal", port=6379, password=os.getenv("REDIS_PASSWORD"))
