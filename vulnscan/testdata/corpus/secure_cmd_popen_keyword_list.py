# label: secure
# round: 3
import subprocess


def lookup(domain):
    proc = subprocess.Popen(args=["whois", domain], stdout=subprocess.PIPE)
    return proc.communicate()[0]
