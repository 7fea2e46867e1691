# label: vulnerable CWE-601
# round: 2
from starlette.responses import RedirectResponse
from starlette.requests import Request


async def oauth_done(request: Request):
    state = request.query_params.get("state", "/")
    return RedirectResponse(state)
