# label: vulnerable CWE-601
# round: 1
from urllib.parse import urlparse
from django.shortcuts import redirect


def switch_language(request):
    target = request.POST.get("next", "/")
    response = redirect(target)
    if urlparse(target).netloc:
        print("external redirect", target)
    return response
