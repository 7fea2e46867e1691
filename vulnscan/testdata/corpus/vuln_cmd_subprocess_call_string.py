# label: vulnerable CWE-78
# round: 2
import subprocess


def git_clone(repo_url, target):
    subprocess.call("git clone " + repo_url + " " + target, shell=True)
