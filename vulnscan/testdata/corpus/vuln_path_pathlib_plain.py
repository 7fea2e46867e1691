# label: vulnerable CWE-22
# round: 1
from pathlib import Path
from fastapi import FastAPI

app = FastAPI()
MEDIA = Path("/srv/media")


@app.get("/media/{name}")
def media(name: str):
    return (MEDIA / name).read_bytes()
