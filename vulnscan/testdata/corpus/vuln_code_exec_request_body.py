# label: vulnerable CWE-94
# round: 3
from django.http import JsonResponse


def run_snippet(request):
    scope = {}
    exec(request.body.decode(), scope)
    return JsonResponse({"result": str(scope.get("result"))})
