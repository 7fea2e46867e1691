# label: vulnerable CWE-502
# round: 1
import marshal


def load_code_cache(blob):
    return marshal.loads(blob)
