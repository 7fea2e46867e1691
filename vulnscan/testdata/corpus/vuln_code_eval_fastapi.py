# label: vulnerable CWE-94
# round: 2
from fastapi import FastAPI

app = FastAPI()


@app.get("/calc")
def calc(expression: str):
    return {"result": eval(expression, {"__builtins__": {}})}
