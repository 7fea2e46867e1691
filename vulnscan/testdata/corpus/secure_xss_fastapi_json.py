# label: secure
# round: 3
from fastapi import FastAPI

app = FastAPI()


@app.get("/welcome")
def welcome(user: str):
    return {"message": f"Welcome {user}"}
