# label: secure
# round: 2
from starlette.responses import RedirectResponse
from starlette.requests import Request


async def oauth_done(request: Request):
    return RedirectResponse(request.url_for("home"))
