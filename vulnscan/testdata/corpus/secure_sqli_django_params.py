# label: secure
# round: 1
from django.db import connection


def search(request):
    term = request.GET["q"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title FROM blog_post WHERE title LIKE %s", ["%" + term + "%"])
        return cursor.fetchall()
