# label: vulnerable CWE-79
# round: 3
from starlette.responses import HTMLResponse


async def hello(request):
    name = request.query_params.get("name", "")
    return HTMLResponse("<html><body>Hello, %s</body></html>" % name)
