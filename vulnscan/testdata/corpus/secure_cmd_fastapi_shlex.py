# label: secure
# round: 3
import shlex
import subprocess
from fastapi import FastAPI

app = FastAPI()


@app.post("/dns")
def dns(name: str):
    return {"out": subprocess.check_output("dig +short " + shlex.quote(name), shell=True, text=True)}
