# label: secure
# round: 2
from blog.models import Post


def posts_by(request):
    return list(Post.objects.filter(author=request.GET["author"]))
