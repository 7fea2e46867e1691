# label: secure
# round: 2
from django.views import View
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


class LoginView(View):
    def post(self, request):
        nxt = request.POST.get("next") or "/"
        if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            return redirect(nxt)
        return redirect("/")
