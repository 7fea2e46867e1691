# label: vulnerable CWE-601
# round: 3
from aiohttp import web


async def go(request):
    raise web.HTTPFound(request.query["to"])
