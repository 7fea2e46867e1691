# label: secure
# round: 2
import os
import smtplib


def send_report(body):
    with smtplib.SMTP_SSL("smtp.example.com", 465) as smtp:
        smtp.login(os.environ["SMTP_USER"], os.environ["SMTP_PASSWORD"])
        smtp.sendmail("reports@example.com", ["ops@example.com"], body)
