# label: vulnerable CWE-295
# round: 2
import httpx


def client():
    return httpx.Client(base_url="https://internal.example", verify=False)
