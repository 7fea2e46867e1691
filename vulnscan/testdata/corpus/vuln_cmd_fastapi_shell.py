# label: vulnerable CWE-78
# round: 3
import subprocess
from fastapi import FastAPI

app = FastAPI()


@app.post("/dns")
def dns(name: str):
    return {"out": subprocess.check_output("dig +short " + name, shell=True, text=True)}
