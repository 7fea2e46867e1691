# label: secure
# round: 2
import subprocess


def git_clone(repo_url, target):
    subprocess.call(["git", "clone", "--", repo_url, target])
