# label: secure
# round: 1
import secrets


def send_login_code(user, sms):
    code = secrets.randbelow(900000) + 100000
    user.otp = str(code)
    sms.send(user.phone, f"Your code is {code}")
