"""A stand-in Sips Office server for the reconciliation's fault tests: a real HTTP server on a
free port that answers getTransactionData with what the test tells it, sealed as the protocol
says (reference/protocols.md §2.4), with the key the test chooses — not with our own code."""

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings


def sealed(answer: dict, secret: str = "") -> dict:
    """The answer with its seal: values of the fields by name, keyVersion, sealAlgorithm and
    seal left out, HMAC-SHA-256 with the merchant's key (or `secret`)."""
    text = "".join(
        str(answer[key]) for key in sorted(answer) if key not in ("keyVersion", "sealAlgorithm")
    )
    key = (secret or settings.SIPS_SECRET_KEY).encode()
    return answer | {"seal": hmac.new(key, text.encode(), hashlib.sha256).hexdigest()}


class Office:
    """`answer(message)` gives the JSON the server returns to each request it receives."""

    def __init__(self, answer: Callable[[dict], dict]):
        self.asked: list[dict] = []
        office = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                office.asked.append(message)
                body = json.dumps(answer(message)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
