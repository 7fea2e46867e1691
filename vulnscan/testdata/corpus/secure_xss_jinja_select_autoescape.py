# label: secure
# round: 1
from jinja2 import Environment, FileSystemLoader, select_autoescape

env = Environment(loader=FileSystemLoader("templates"), autoescape=select_autoescape(["html", "xml"]))


def render_page(title, body):
    return env.get_template("page.html").render(title=title, body=body)
