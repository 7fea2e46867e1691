# label: secure
# round: 1
from defusedxml import ElementTree


def parse_invoice(xml_bytes):
    return ElementTree.fromstring(xml_bytes)
