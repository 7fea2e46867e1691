# label: secure
# round: 3
import hashlib


def cache_key(url):
    return "page:" + hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()
