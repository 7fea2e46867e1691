# label: secure
# round: 1
import os
from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


@app.get("/media/{name}")
def media(name: str):
    return FileResponse(os.path.join("/srv/media", os.path.basename(name)))
