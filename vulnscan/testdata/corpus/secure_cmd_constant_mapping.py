# label: secure
# round: 1
import subprocess

COMMANDS = {"uptime": "uptime", "disk": "df -h", "mem": "free -m"}


def run_status(which):
    cmd = COMMANDS.get(which, "uptime")
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout
