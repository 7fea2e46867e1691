# label: vulnerable CWE-78
# round: 3
import subprocess


def lookup(domain):
    proc = subprocess.Popen(args="whois " + domain, shell=True, stdout=subprocess.PIPE)
    return proc.communicate()[0]
