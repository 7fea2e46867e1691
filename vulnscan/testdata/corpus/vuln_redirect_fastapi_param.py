# label: vulnerable CWE-601
# round: 1
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/go")
def go(url: str):
    return RedirectResponse(url=url, status_code=302)
