# label: vulnerable CWE-78
# round: 2
import subprocess
from django.http import HttpResponse


def nslookup(request):
    domain = request.GET.get("domain", "")
    out = subprocess.getoutput("nslookup " + domain)
    return HttpResponse(out, content_type="text/plain")
