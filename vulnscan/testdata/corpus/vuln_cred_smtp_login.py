# label: vulnerable CWE-798
# round: 2
import smtplib


def send_report(body):
    with smtplib.SMTP_SSL("smtp.example.com", 465) as smtp:
        smtp.login("reports@example.com", "Rep0rts#2024")
        smtp.sendmail("reports@example.com", ["ops@example.com"], body)
