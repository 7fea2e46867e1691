# label: vulnerable CWE-295
# round: 3
import httpx


async def fetch(url):
    async with httpx.AsyncClient(verify=False) as client:
        return (await client.get(url)).text
