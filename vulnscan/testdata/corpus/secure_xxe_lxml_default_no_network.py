# label: secure
# round: 3
from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def parse_feed(data):
    return etree.fromstring(data, parser=PARSER)
