# label: vulnerable CWE-22
# round: 3
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/upload")
async def upload(file: UploadFile):
    with open(f"/srv/uploads/{file.filename}", "wb") as out:
        out.write(await file.read())
    return {"ok": True}
