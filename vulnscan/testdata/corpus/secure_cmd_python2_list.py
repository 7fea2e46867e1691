# label: secure
# round: 2
import subprocess
import sys

def main():
    host = sys.argv[1]
    print "pinging", host
    subprocess.call(["ping", "-c", "3", host])
