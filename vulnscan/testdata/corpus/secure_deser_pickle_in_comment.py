# label: secure
# round: 2
import json

# We used to do pickle.loads(request.data) here, which was unsafe.


def load(data):
    return json.loads(data)
