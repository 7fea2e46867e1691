# label: secure
# round: 2
import tornado.escape
import tornado.web


class EchoHandler(tornado.web.RequestHandler):
    def get(self):
        msg = self.get_argument("msg", "")
        self.write("<div class='msg'>" + tornado.escape.xhtml_escape(msg) + "</div>")
