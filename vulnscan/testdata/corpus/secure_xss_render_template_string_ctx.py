# label: secure
# round: 1
from flask import request, render_template_string


def preview():
    title = request.form["title"]
    return render_template_string("<h2>{{ title }}</h2>", title=title)
