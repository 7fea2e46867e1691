# label: secure
# round: 2
import subprocess

STEPS = ["make clean", "make all", "make test"]


def build():
    for step in STEPS:
        subprocess.run(step, shell=True, check=True)
