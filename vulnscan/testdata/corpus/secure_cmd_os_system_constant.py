# label: secure
# round: 2
import os


def restart():
    os.system("systemctl restart nginx")
