# label: secure
# round: 3
import os
from django.http import FileResponse, Http404
from django.conf import settings


def download(request):
    root = os.path.realpath(settings.MEDIA_ROOT)
    path = os.path.realpath(os.path.join(root, request.GET["f"]))
    if os.path.commonpath([root, path]) != root:
        raise Http404()
    return FileResponse(open(path, "rb"))
