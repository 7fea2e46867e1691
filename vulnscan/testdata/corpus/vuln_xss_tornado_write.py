# label: vulnerable CWE-79
# round: 2
import tornado.web


class EchoHandler(tornado.web.RequestHandler):
    def get(self):
        msg = self.get_argument("msg", "")
        self.write("<div class='msg'>" + msg + "</div>")
