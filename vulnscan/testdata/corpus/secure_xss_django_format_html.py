# label: secure
# round: 1
from django.http import HttpResponse
from django.utils.html import format_html


def greet(request):
    who = request.GET.get("who", "")
    return HttpResponse(format_html("<p>Welcome back, {}</p>", who))
