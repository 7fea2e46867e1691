# label: secure
# round: 3
import os
import tempfile


def process(data):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "work.bin")
        with open(path, "wb") as fh:
            fh.write(data)
        return os.path.getsize(path)
