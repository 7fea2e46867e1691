# label: secure
# round: 3
import uuid


def new_session_token():
    return uuid.uuid4().hex
