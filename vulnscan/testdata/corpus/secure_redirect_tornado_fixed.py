# label: secure
# round: 1
import tornado.web


class LoginHandler(tornado.web.RequestHandler):
    def post(self):
        self.set_secure_cookie("user", self.get_argument("name"))
        self.redirect("/home")
