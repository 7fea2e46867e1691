# label: vulnerable CWE-601
# round: 3
from fastapi import FastAPI, Query
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/logout")
async def logout(redirect_uri: str = Query("/")):
    response = RedirectResponse(redirect_uri)
    response.delete_cookie("session")
    return response
