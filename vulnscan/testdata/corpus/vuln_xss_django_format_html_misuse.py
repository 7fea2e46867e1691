# label: vulnerable CWE-79
# round: 3
from django.http import HttpResponse
from django.utils.safestring import mark_safe


def comment(request):
    text = request.POST["text"]
    html = mark_safe("<div class='comment'>%s</div>" % text)
    return HttpResponse(html)
