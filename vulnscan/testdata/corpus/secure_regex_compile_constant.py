# label: secure
# round: 1
import re
import subprocess

VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")


def git_version():
    out = subprocess.run("git describe --tags", shell=True, capture_output=True, text=True).stdout.strip()
    return out if VERSION_RE.match(out) else "unknown"
