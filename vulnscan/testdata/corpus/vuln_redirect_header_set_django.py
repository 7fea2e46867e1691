# label: vulnerable CWE-601
# round: 3
from django.http import HttpResponse


def bounce(request):
    response = HttpResponse(status=302)
    response["Location"] = request.GET.get("url", "/")
    return response
