# label: vulnerable CWE-295
# round: 2
import aiohttp


async def make_session():
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False))
