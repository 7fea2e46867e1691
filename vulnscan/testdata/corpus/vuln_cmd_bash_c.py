# label: vulnerable CWE-78
# round: 2
import subprocess


def grep_logs(pattern):
    return subprocess.run(["bash", "-c", f"grep {pattern} /var/log/app.log"], capture_output=True).stdout
