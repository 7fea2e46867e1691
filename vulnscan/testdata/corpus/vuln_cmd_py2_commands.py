# label: vulnerable CWE-78
# round: 3
import commands

def uptime(host):
    return commands.getoutput("ssh %s uptime" % host)
