# label: vulnerable CWE-78
# round: 1
import subprocess


def archive(name):
    cmd = "tar czf /backups/%s.tgz /srv/data" % name
    p = subprocess.Popen(cmd, shell=True)
    return p.wait()
