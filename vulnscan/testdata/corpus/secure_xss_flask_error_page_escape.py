# label: secure
# round: 3
from flask import Flask, request
from markupsafe import escape

app = Flask(__name__)


@app.errorhandler(404)
def not_found(e):
    return "<h1>Not found</h1><p>No page at " + escape(request.path) + "</p>", 404
