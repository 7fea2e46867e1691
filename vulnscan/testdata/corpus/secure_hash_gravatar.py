# label: secure
# round: 3
import hashlib


def gravatar(email):
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}"
