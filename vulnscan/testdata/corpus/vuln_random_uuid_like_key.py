# label: vulnerable CWE-330
# round: 2
import random


class ApiClient:
    def rotate(self):
        self.secret = "%x" % random.randrange(16 ** 40)
        return self.secret
