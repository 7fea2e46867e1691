# label: secure
# round: 3
import uuid
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/upload")
async def upload(file: UploadFile):
    name = uuid.uuid4().hex
    with open(f"/srv/uploads/{name}", "wb") as out:
        out.write(await file.read())
    return {"ok": True, "id": name}
