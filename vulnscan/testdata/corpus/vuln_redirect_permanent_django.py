# label: vulnerable CWE-601
# round: 2
from django.http import HttpResponsePermanentRedirect


def legacy(request, path):
    return HttpResponsePermanentRedirect(request.GET["to"])
