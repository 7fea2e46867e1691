# label: secure
# round: 1
import os

DEBUG = False
ALLOWED_HOSTS = ["example.com"]
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
