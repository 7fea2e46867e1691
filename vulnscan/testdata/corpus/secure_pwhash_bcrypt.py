# label: secure
# round: 1
import bcrypt


def store_user(db, username, password):
    digest = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
    db.execute("INSERT INTO users (name, pw) VALUES (?, ?)", (username, digest))
