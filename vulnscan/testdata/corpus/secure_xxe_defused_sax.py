# label: secure
# round: 3
import defusedxml.sax


def parse(stream, h):
    defusedxml.sax.parse(stream, h)
