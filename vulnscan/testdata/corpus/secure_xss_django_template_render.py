# label: secure
# round: 3
from django.shortcuts import render


def comment(request):
    return render(request, "comment.html", {"text": request.POST["text"]})
