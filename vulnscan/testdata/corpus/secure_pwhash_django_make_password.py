# label: secure
# round: 1
from django.contrib.auth.hashers import make_password
from django.http import JsonResponse
from myapp.models import Account


def signup(request):
    Account.objects.create(
        email=request.POST["email"],
        pw_digest=make_password(request.POST["password"]),
    )
    return JsonResponse({"ok": True})
