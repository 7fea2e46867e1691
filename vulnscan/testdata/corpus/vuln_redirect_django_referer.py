# label: vulnerable CWE-601
# round: 3
from django.http import HttpResponseRedirect


def set_theme(request):
    request.session["theme"] = request.POST.get("theme", "light")
    return HttpResponseRedirect(request.POST.get("back", "/"))
