# label: secure
# round: 1
import hashlib


def shard_for(key, shards=16):
    return int(hashlib.md5(key.encode(), usedforsecurity=False).hexdigest(), 16) % shards
