# label: secure
# round: 3
import html
from starlette.responses import HTMLResponse


async def hello(request):
    name = request.query_params.get("name", "")
    return HTMLResponse("<html><body>Hello, %s</body></html>" % html.escape(name))
