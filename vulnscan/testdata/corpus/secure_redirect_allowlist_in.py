# label: secure
# round: 1
from django.shortcuts import redirect

SAFE_PAGES = ["/", "/profile", "/settings", "/billing"]


def done(request):
    page = request.GET.get("page", "/")
    if page in SAFE_PAGES:
        return redirect(page)
    return redirect("/")
