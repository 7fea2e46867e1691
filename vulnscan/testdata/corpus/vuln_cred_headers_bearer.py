# label: vulnerable CWE-798
# round: 2
import requests

API_TOKEN = "ghp_8f7d6c5b4a3928171615141312111009080706"


def repos():
    return requests.get("https://api.github.com/user/repos", headers={"Authorization": f"token {API_TOKEN}"}).json()
