# label: vulnerable CWE-611
# round: 3
from xml.dom import pulldom
from xml.sax import handler, make_parser


def events(stream):
    parser = make_parser()
    parser.setFeature(handler.feature_external_ges, True)
    return pulldom.parse(stream, parser=parser)
