# label: vulnerable CWE-78
# round: 3
import subprocess


def count_lines(path):
    out = subprocess.check_output(["/bin/sh", "-c", "wc -l " + path])
    return int(out.split()[0])
