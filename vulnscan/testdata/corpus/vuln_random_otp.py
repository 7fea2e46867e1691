# label: vulnerable CWE-330
# round: 1
import random


def send_login_code(user, sms):
    code = random.randint(100000, 999999)
    user.otp = str(code)
    sms.send(user.phone, f"Your code is {code}")
