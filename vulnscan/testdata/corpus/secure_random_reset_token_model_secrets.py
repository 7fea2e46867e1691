# label: secure
# round: 3
import secrets
from django.db import models


class PasswordReset(models.Model):
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    token = models.CharField(max_length=64)

    @classmethod
    def issue(cls, user):
        return cls.objects.create(user=user, token=secrets.token_hex(32))
