"""A stand-in merchant for the kiosk's tests: a real HTTP server on a free port that records the
automatic responses it receives and answers with the status codes it is told to."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class Merchant:
    def __init__(self, statuses: list[int] | None = None):
        self.statuses = list(statuses or [])  # answered in turn; 200 once they run out
        self.received: list[dict[str, str]] = []
        self.arrived = threading.Condition()
        merchant = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = dict(parse_qsl(self.rfile.read(length).decode()))
                status = merchant.statuses.pop(0) if merchant.statuses else 200
                with merchant.arrived:
                    merchant.received.append({**form, "_status": str(status)})
                    merchant.arrived.notify_all()
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/retour-automatique/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 20.0) -> list[dict[str, str]]:
        """The first `count` posts, once they have arrived (a condition, not a sleep)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout=timeout)
        assert len(self.received) >= count, f"{len(self.received)} posts of {count} arrived"
        return self.received[:count]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
