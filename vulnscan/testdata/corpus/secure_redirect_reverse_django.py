# label: secure
# round: 1
from django.shortcuts import redirect
from django.urls import reverse


def create_article(request):
    slug = request.POST["slug"]
    return redirect(reverse("article-detail", kwargs={"slug": slug}))
