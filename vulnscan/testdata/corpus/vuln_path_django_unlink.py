# label: vulnerable CWE-22
# round: 1
import os
from django.http import JsonResponse
from django.conf import settings


def delete_attachment(request):
    name = request.POST["name"]
    os.remove(os.path.join(settings.MEDIA_ROOT, "attachments", name))
    return JsonResponse({"deleted": name})
