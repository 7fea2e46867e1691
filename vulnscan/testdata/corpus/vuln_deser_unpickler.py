# label: vulnerable CWE-502
# round: 3
import io
import pickle


def decode(blob):
    return pickle.Unpickler(io.BytesIO(blob)).load()
