# label: vulnerable CWE-79
# round: 3
from flask import Flask

app = Flask(__name__)
app.jinja_env.autoescape = False
