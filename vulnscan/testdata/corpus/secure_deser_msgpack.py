# label: secure
# round: 1
import msgpack


def decode(blob):
    return msgpack.unpackb(blob, raw=False)
