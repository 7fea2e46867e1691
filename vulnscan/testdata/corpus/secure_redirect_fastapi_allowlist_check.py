# label: secure
# round: 3
from fastapi import FastAPI, HTTPException
from fastapi.responses import RedirectResponse

app = FastAPI()

ALLOWED_REDIRECTS = {"/", "/login", "/goodbye"}


@app.get("/logout")
async def logout(redirect_uri: str = "/"):
    if redirect_uri not in ALLOWED_REDIRECTS:
        raise HTTPException(status_code=400, detail="bad redirect")
    response = RedirectResponse(redirect_uri)
    response.delete_cookie("session")
    return response
