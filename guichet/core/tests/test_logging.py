import logging
import sys

from guichet.core.logging import LogfmtFormatter


def format_record(msg: str, **extra) -> str:
    record = logging.makeLogRecord({"name": "guichet.test", "levelname": "WARNING", "msg": msg})
    record.__dict__.update(extra)
    return LogfmtFormatter().format(record)


def test_logfmt_writes_one_line_of_key_value_pairs_with_the_extras():
    line = format_record("email delivery failed", email_id=12, attempt=2)

    assert line.split(" ", 1)[1] == (
        'level=warning logger=guichet.test msg="email delivery failed" email_id=12 attempt=2'
    )
    assert line.startswith("time=")


def test_logfmt_quotes_values_with_spaces_equals_or_quotes():
    line = format_record("ok", reason='a "b" c=d', empty="")

    assert 'reason="a \\"b\\" c=d"' in line
    assert 'empty=""' in line


def test_logfmt_keeps_each_record_on_one_line_whatever_a_value_holds():
    line = format_record("Not Found: /x\nlevel=error msg=forged", path="/a\r\nb\tc\u2028d")

    assert len(line.splitlines()) == 1
    assert 'msg="Not Found: /x\\nlevel=error msg=forged"' in line
    assert 'path="/a\\r\\nb\\tc\\u2028d"' in line


def test_logfmt_appends_the_traceback_of_an_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("guichet.test").makeRecord(
            "guichet.test", logging.ERROR, __file__, 1, "failed", None, exc_info=sys.exc_info()
        )

    text = LogfmtFormatter().format(record)

    first, rest = text.split("\n", 1)
    assert "msg=failed" in first
    assert "ValueError: boom" in rest
