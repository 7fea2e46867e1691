# label: secure
# round: 3
from django.http import HttpResponseRedirect
from django.urls import reverse


def set_theme(request):
    request.session["theme"] = request.POST.get("theme", "light")
    return HttpResponseRedirect(reverse("settings"))
