# label: secure
# round: 3
import subprocess


def list_processes():
    return subprocess.run("ps aux | sort -nrk 3 | head -5", shell=True, capture_output=True, text=True).stdout
