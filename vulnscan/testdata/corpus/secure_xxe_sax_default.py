# label: secure
# round: 2
import xml.sax


def parse(stream, handler):
    parser = xml.sax.make_parser()
    parser.setContentHandler(handler)
    parser.parse(stream)
