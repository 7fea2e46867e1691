# label: secure
# round: 2
PASSWORD_MIN_LENGTH = 12
TOKEN_URL = "https://auth.example.com/oauth/token"
PASSWORD_FIELD = "password"


def valid(pw):
    return len(pw) >= PASSWORD_MIN_LENGTH
