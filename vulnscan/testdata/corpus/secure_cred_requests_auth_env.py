# label: secure
# round: 1
import os
import requests


def fetch_invoices():
    user = os.environ["BILLING_USER"]
    pw = os.environ["BILLING_PASSWORD"]
    return requests.get("https://billing.example.com/api/invoices", auth=(user, pw)).json()
