# label: secure
# round: 1
import tempfile


def scratch_file(data):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
        fh.write(data)
        return fh.name
