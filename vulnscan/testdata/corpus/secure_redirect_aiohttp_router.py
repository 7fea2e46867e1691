# label: secure
# round: 3
from aiohttp import web


async def go(request):
    raise web.HTTPFound(request.app.router["index"].url_for())
