# label: vulnerable CWE-79
# round: 3
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/welcome", response_class=HTMLResponse)
def welcome(user: str):
    return f"<html><body><h1>Welcome {user}</h1></body></html>"
