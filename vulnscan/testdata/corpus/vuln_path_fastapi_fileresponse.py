# label: vulnerable CWE-22
# round: 1
import os
from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


@app.get("/files/{path:path}")
def files(path: str):
    return FileResponse(os.path.join("/srv/files", path))
