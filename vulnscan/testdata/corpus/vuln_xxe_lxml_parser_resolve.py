# label: vulnerable CWE-611
# round: 3
from lxml import etree

PARSER = etree.XMLParser(resolve_entities=True, load_dtd=True)


def parse_feed(data):
    return etree.fromstring(data, parser=PARSER)
