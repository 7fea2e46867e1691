# label: secure
# round: 2
import ssl
import aiohttp


async def make_session():
    ctx = ssl.create_default_context(cafile="/etc/ssl/internal.pem")
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ctx))
