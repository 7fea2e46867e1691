# label: secure
# round: 3
import os
import requests


def call_api(path, api_key=""):
    api_key = api_key or os.environ["API_KEY"]
    return requests.get("https://api.example.com" + path, headers={"X-Api-Key": api_key})
