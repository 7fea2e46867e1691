# label: vulnerable CWE-22
# round: 3
import os
from django.http import FileResponse
from django.conf import settings


def download(request):
    fname = request.GET["f"]
    return FileResponse(open(os.path.join(settings.MEDIA_ROOT, fname), "rb"))
