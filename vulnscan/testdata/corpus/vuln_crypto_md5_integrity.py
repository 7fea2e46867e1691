# label: vulnerable CWE-328
# round: 1
import hashlib


def verify_download(data, expected):
    return hashlib.md5(data).hexdigest() == expected
