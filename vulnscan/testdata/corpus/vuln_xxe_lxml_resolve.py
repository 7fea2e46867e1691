# label: vulnerable CWE-611
# round: 1
from lxml import etree


def parse_invoice(xml_bytes):
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    return etree.fromstring(xml_bytes, parser)
