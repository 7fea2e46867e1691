# label: vulnerable CWE-79
# round: 1
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/search", response_class=HTMLResponse)
def search(q: str = ""):
    return HTMLResponse(content=f"<p>No results for <b>{q}</b></p>")
