# label: vulnerable CWE-330
# round: 3
import random
import string
from django.db import models


class PasswordReset(models.Model):
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    token = models.CharField(max_length=40)

    @classmethod
    def issue(cls, user):
        token = "".join(random.choices(string.ascii_lowercase + string.digits, k=40))
        return cls.objects.create(user=user, token=token)
