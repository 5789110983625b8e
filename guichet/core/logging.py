"""Structured logs on one line each (logfmt): easy to grep, easy to ship."""

import logging

RESERVED = set(vars(logging.makeLogRecord({})))


def _quote(value: object) -> str:
    text = str(value)
    if not text or any(c in text for c in ' ="'):
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
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
