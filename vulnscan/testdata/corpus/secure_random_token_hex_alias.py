# label: secure
# round: 3
from secrets import token_hex as make


def new_token():
    return make(16)
