# label: vulnerable CWE-79
# round: 3
from flask import Flask, request

app = Flask(__name__)


@app.errorhandler(404)
def not_found(e):
    return "<h1>Not found</h1><p>No page at " + request.path + "</p>", 404
