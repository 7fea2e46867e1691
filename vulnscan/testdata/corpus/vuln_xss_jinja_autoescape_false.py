# label: vulnerable CWE-79
# round: 1
from jinja2 import Environment, FileSystemLoader

env = Environment(loader=FileSystemLoader("templates"), autoescape=False)


def render_page(title, body):
    return env.get_template("page.html").render(title=title, body=body)
