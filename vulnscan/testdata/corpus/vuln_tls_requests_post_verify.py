# label: vulnerable CWE-295
# round: 3
import requests


def post_metrics(payload):
    requests.post("https://metrics.internal/ingest", json=payload, verify=False, timeout=3)
