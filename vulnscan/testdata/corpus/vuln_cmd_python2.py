# label: vulnerable CWE-78
# round: 2
import os
import sys

def main():
    host = sys.argv[1]
    print "pinging", host
    os.system("ping -c 3 " + host)
