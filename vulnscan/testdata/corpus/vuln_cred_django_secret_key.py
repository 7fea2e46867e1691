# label: vulnerable CWE-798
# round: 1
DEBUG = False
ALLOWED_HOSTS = ["example.com"]
SECRET_KEY = "django-insecure-9x!k2p@v7qz#4m1l0r8t&w3e6y5u"
