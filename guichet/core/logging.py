"""Structured logs on one line each (logfmt): easy to grep, easy to ship."""

import logging

RESERVED = set(vars(logging.makeLogRecord({})))


# A value that holds a line break (a request path, a name someone typed) must not be able to
# start a forged line of its own: quotes, backslashes and control characters are escaped.
ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    return ESCAPES.get(char) or (char if char.isprintable() else f"\\u{ord(char):04x}")


def _quote(value: object) -> str:
    text = str(value)
    if not text or any(c in ' ="\\' or not c.isprintable() for c in text):
        text = '"' + "".join(_escape(c) for c in text) + '"'
    return text


class LogfmtFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields.update(
            {k: v for k, v in vars(record).items() if k not in RESERVED and k != "message"}
        )
        line = " ".join(f"{key}={_quote(value)}" for key, value in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line
