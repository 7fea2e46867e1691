# label: secure
# round: 2
import requests

API_TOKEN = "<your-token-here>"


def repos():
    return requests.get("https://api.github.com/user/repos", headers={"Authorization": f"token {API_TOKEN}"}).json()
