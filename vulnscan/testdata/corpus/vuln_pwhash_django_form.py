# label: vulnerable CWE-916
# round: 1
import hashlib
from django.http import JsonResponse
from myapp.models import Account


def signup(request):
    pwd = request.POST["password"]
    Account.objects.create(
        email=request.POST["email"],
        pw_digest=hashlib.sha3_256(pwd.encode("utf-8")).hexdigest(),
    )
    return JsonResponse({"ok": True})
