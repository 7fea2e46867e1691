# label: vulnerable CWE-377
# round: 1
import tempfile


def scratch_file(data):
    name = tempfile.mktemp(suffix=".csv")
    with open(name, "w") as fh:
        fh.write(data)
    return name
