# label: secure
# round: 1
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()

DESTINATIONS = {"docs": "/docs", "home": "/", "status": "/health"}


@app.get("/go")
def go(dest: str):
    return RedirectResponse(DESTINATIONS.get(dest, "/"))
