# label: vulnerable CWE-330
# round: 1
import random


class SessionStore:
    def __init__(self):
        self.sessions = {}

    def create(self, user_id):
        session_id = "%032x" % random.getrandbits(128)
        self.sessions[session_id] = user_id
        return session_id
