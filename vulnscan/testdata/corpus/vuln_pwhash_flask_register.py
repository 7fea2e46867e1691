# label: vulnerable CWE-916
# round: 3
import hashlib
from flask import request, jsonify


def register():
    data = request.get_json()
    user = User(email=data["email"], password_hash=hashlib.sha256(data["password"].encode()).hexdigest())
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id)
