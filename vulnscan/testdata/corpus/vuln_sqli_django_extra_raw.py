# label: vulnerable CWE-89
# round: 2
from blog.models import Post


def posts_by(request):
    author = request.GET["author"]
    return list(Post.objects.raw(f"SELECT * FROM blog_post WHERE author = '{author}'"))
