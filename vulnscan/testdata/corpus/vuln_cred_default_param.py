# label: vulnerable CWE-798
# round: 3
import requests


def call_api(path, api_key="a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4"):
    return requests.get("https://api.example.com" + path, headers={"X-Api-Key": api_key})
