# label: vulnerable CWE-79
# round: 2
from jinja2 import Template


def render_greeting(user_template, name):
    return Template("<p>" + user_template + "</p>").render(name=name)
