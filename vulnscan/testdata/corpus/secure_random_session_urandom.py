# label: secure
# round: 1
import os


class SessionStore:
    def __init__(self):
        self.sessions = {}

    def create(self, user_id):
        session_id = os.urandom(16).hex()
        self.sessions[session_id] = user_id
        return session_id
