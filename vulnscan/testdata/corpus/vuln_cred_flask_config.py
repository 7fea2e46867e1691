# label: vulnerable CWE-798
# round: 2
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev-key-please-change-8812"
