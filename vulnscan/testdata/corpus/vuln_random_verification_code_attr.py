# label: vulnerable CWE-330
# round: 1
import random


def start_email_verification(user, mailer):
    user.verification_code = "".join(str(random.randint(0, 9)) for _ in range(6))
    mailer.send(user.email, user.verification_code)
