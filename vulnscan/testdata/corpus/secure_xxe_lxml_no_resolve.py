# label: secure
# round: 1
from lxml import etree


def parse_invoice(xml_bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(xml_bytes, parser)
