# label: vulnerable CWE-502
# round: 2
import dill


def restore_job(blob):
    return dill.loads(blob)
