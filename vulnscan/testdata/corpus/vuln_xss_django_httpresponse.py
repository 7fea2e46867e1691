# label: vulnerable CWE-79
# round: 1
from django.http import HttpResponse


def greet(request):
    who = request.GET.get("who", "")
    return HttpResponse("<p>Welcome back, " + who + "</p>")
