# label: vulnerable CWE-330
# round: 3
import random
import string


def create_invite(db, email):
    invite_code = "".join(random.sample(string.ascii_uppercase, 8))
    db.invites.insert_one({"email": email, "code": invite_code})
    return invite_code
