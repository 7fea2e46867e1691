# label: vulnerable CWE-601
# round: 2
from django.views import View
from django.shortcuts import redirect


class LoginView(View):
    def post(self, request):
        login(request, authenticate(request, **request.POST.dict()))
        return redirect(request.POST.get("next") or "/")
