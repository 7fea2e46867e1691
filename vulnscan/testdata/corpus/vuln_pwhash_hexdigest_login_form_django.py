# label: vulnerable CWE-916
# round: 3
import hashlib
from django.contrib.auth.models import User


def legacy_login(request):
    user = User.objects.get(username=request.POST["username"])
    entered = hashlib.sha256(request.POST["password"].encode()).hexdigest()
    return user.profile.legacy_hash == entered
