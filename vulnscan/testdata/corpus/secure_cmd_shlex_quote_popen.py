# label: secure
# round: 1
import shlex
import subprocess


def archive(name):
    cmd = "tar czf /backups/%s.tgz /srv/data" % shlex.quote(name)
    p = subprocess.Popen(cmd, shell=True)
    return p.wait()
