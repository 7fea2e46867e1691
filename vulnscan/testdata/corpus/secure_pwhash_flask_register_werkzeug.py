# label: secure
# round: 3
from flask import request, jsonify
from werkzeug.security import generate_password_hash


def register():
    data = request.get_json()
    user = User(email=data["email"], password_hash=generate_password_hash(data["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id)
