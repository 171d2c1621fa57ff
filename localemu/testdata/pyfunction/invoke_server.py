"""Serves handler.handle through the Lambda Invoke API, as `sam local
start-lambda` serves a function: POST /2015-03-31/functions/NAME/invocations.
Prints its port, then serves until killed."""
import http.server
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handler  # noqa: E402


class Invoke(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        event = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        extra = {}
        try:
            out = json.dumps(handler.handle(event)).encode()
        except Exception as e:
            out, extra = handler.error(e), {"X-Amz-Function-Error": "Unhandled"}
        self.send_response(200)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Invoke)
print(server.server_address[1], flush=True)
server.serve_forever()
