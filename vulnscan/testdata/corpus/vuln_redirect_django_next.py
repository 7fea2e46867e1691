# label: vulnerable CWE-601
# round: 1
from django.http import HttpResponseRedirect


def logout_view(request):
    request.session.flush()
    return HttpResponseRedirect(request.GET.get("next", "/"))
