# label: vulnerable CWE-798
# round: 1
import requests


def fetch_invoices():
    return requests.get("https://billing.example.com/api/invoices", auth=("billing", "S3cr3t!2024")).json()
