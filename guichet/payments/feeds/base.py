"""What every import feed shares: reading JSON Lines safely, validating each record against its
JSON Schema, and a line-by-line error report (docs/feeds.md).

A record is checked in three passes: the schema (jsonschema-rs, in Rust: a few microseconds a
good line; jsonschema then explains a bad line field by field), the record's own rules (sums, dates), then
the database (known NIRs, families, external ids) a chunk of lines at a time.
"""

import datetime as dt
import gc
import hashlib
import json
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from queue import Full, Queue
from typing import Any

import jsonschema
import jsonschema_rs
import msgspec
import orjson

from guichet.payments.feeds.typed import Typed, canonical, typed

SCHEMAS = Path(__file__).resolve().parent
# Where another app's feed keeps its schema (feeds.register): feed name → directory.
SCHEMA_DIRS: dict[str, Path] = {}
MAX_LINE_BYTES = 1_000_000
MAX_REPORTED_ERRORS = 1000
MEMO = 65_536  # values parsed once and remembered (dates, amounts): bounded, whatever the file


@dataclass(frozen=True)
class LineError:
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass(slots=True)
class Record:
    line: int
    data: Any  # a dict, or the Struct of a typed feed (typed.py)
    digest: str  # SHA-256 of the canonical record: re-importing it is recognised


@dataclass
class Report:
    feed: str
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[LineError] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def applied(self) -> bool:
        return self.error_count == 0

    def add(self, line: int, field_name: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(LineError(line, field_name, reason))

    def merge(self, other: "Report") -> None:
        """Add the lines and errors of a part of the file (its counts of rows are still 0)."""
        self.lines += other.lines
        self.error_count += other.error_count
        self.errors.extend(other.errors[: MAX_REPORTED_ERRORS - len(self.errors)])

    def as_dict(self) -> dict:
        return {
            "feed": self.feed,
            "status": "applied" if self.applied else "rejected",
            "lines": self.lines,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [error.as_dict() for error in self.errors],
            "batch": self.batch_id,
        }


class RecordError(Exception):
    """A rule of one record is broken: `field` names it as a JSON path."""

    def __init__(self, field_name: str, reason: str):
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


@cache
def schema(name: str) -> dict:
    directory = SCHEMA_DIRS.get(name, SCHEMAS)
    return json.loads((directory / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def fast_validator(name: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(schema(name))


def is_valid(name: str, data: Any) -> bool:
    """Whether a record matches its schema. Whatever jsonschema-rs cannot take in (an integer
    beyond 64 bits, a nesting too deep) is invalid too: `explain` then says why."""
    try:
        return fast_validator(name).is_valid(data)
    except (ValueError, OverflowError, RecursionError):
        return False


@cache
def explaining_validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


PATTERN_HINTS = {  # the patterns of the schemas' $defs, by what they describe
    "^[0-9]{1,8}\\.[0-9]{2}$": "un montant en euros écrit comme une chaîne « 12.34 » est attendu",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "une date AAAA-MM-JJ est attendue",
    "^[1278][0-9]{4}[0-9AB]{2}[0-9]{6}$": "un NIR de 13 caractères sans clé est attendu",
    "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$": "une référence de 1 à 64 caractères (lettres, chiffres, . _ : / -) est attendue",
    "^(100|[0-9]{1,2})(\\.[0-9]{1,2})?$": "un taux en pourcentage de 0 à 100 écrit comme une chaîne est attendu",
}
TYPES = {"object": "un objet", "array": "une liste", "string": "une chaîne", "integer": "un entier",
         "number": "un nombre", "boolean": "un booléen", "null": "null"}  # fmt: skip


def json_path(parts: Iterable[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def explain(name: str, data: Any) -> list[tuple[str, str]]:
    """(field, reason) for each schema violation of a record, in plain French."""
    found = []
    for error in sorted(explaining_validator(name).iter_errors(data), key=lambda e: list(e.path)):
        path = list(error.absolute_path)
        keyword, expected = error.validator, error.validator_value
        if keyword == "required":
            missing = [
                key
                for key in expected
                if isinstance(error.instance, dict) and key not in error.instance
            ]
            for key in missing:
                found.append((json_path([*path, key]), "champ obligatoire manquant"))
            continue
        if keyword == "additionalProperties":
            allowed = error.schema.get("properties", {})
            for key in error.instance:
                if key not in allowed:
                    found.append((json_path([*path, key]), "champ inconnu de ce flux"))
            continue
        if keyword == "type":
            reason = f"{TYPES.get(expected, expected)} est attendu"
        elif keyword == "enum":
            reason = "valeur non admise (valeurs possibles : " + ", ".join(map(str, expected)) + ")"
        elif keyword == "pattern":
            reason = PATTERN_HINTS.get(expected, "format invalide")
        elif keyword in ("minLength", "maxLength"):
            reason = f"longueur {'minimale' if keyword == 'minLength' else 'maximale'} : {expected} caractères"
        elif keyword in ("minItems", "maxItems"):
            reason = f"{'au moins' if keyword == 'minItems' else 'au plus'} {expected} élément(s)"
        elif keyword in ("minimum", "maximum"):
            reason = f"valeur {'minimale' if keyword == 'minimum' else 'maximale'} : {expected}"
        elif keyword == "uniqueItems":
            reason = "la liste contient un doublon"
        else:
            reason = f"valeur refusée ({keyword})"
        found.append((json_path(path) or "(ligne)", reason))
    return found or [("(ligne)", "enregistrement refusé par le schéma")]


def read_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """(line number from 1, raw line) for each non-blank line; CRLF and a UTF-8 BOM are fine."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if raw.strip():
            yield number, raw


# Feeds whose records are msgspec Structs generated from their schema (typed.py), not dicts.
TYPED_FEEDS = {"payments"}


@cache
def typed_record(name: str) -> Typed | None:
    return typed(schema(name)) if name in TYPED_FEEDS else None


def decode(name: str, number: int, raw: bytes, report: Report) -> Record | None:
    """The record of one line, or None after reporting why it cannot be read."""
    if len(raw) > MAX_LINE_BYTES:
        report.add(number, "(ligne)", f"ligne trop longue (plus de {MAX_LINE_BYTES} octets)")
        return None
    record = _decode(name, number, raw, report)
    if record is not None and b"\\u0000" in raw:  # JSON writes U+0000 only so
        path = nul_path(record.data, [])
        if path is not None:
            report.add(number, path, "caractère nul (\\u0000) interdit dans un texte")
            return None
    return record


def nul_path(value: Any, parts: list) -> str | None:
    """The JSON path of the first text holding U+0000, which PostgreSQL cannot store, or None."""
    if isinstance(value, str):
        return (json_path(parts) or "(ligne)") if "\x00" in value else None
    if isinstance(value, dict):
        items: Iterable = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    elif isinstance(value, msgspec.Struct):
        items = ((key, getattr(value, key)) for key in value.__struct_fields__)
    else:
        return None
    for key, child in items:
        found = nul_path(child, [*parts, key])
        if found is not None:
            return found
    return None


def _decode(name: str, number: int, raw: bytes, report: Report) -> Record | None:
    kind = typed_record(name)
    if kind is not None:  # the fast path; anything it rejects is judged by the schema below
        try:
            record = kind.decoder.decode(raw)
        except (msgspec.MsgspecError, ValueError, RecursionError):
            pass
        else:
            if kind.check(record):
                return Record(number, record, hashlib.sha256(canonical(record)).hexdigest())
    return _decode_by_schema(name, number, raw, report, kind)


def _decode_by_schema(
    name: str, number: int, raw: bytes, report: Report, kind: Typed | None
) -> Record | None:
    try:
        data = orjson.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        report.add(number, "(ligne)", "la ligne n'est pas en UTF-8")
        return None
    except orjson.JSONDecodeError as error:
        report.add(number, "(ligne)", f"JSON invalide : {str(error)[:200]}")
        return None
    if not is_valid(name, data):
        try:
            explained = explain(name, data)
        except RecursionError:
            explained = [("(ligne)", "enregistrement trop imbriqué")]
        for field_name, reason in explained:
            report.add(number, field_name, reason)
        return None
    if kind is None:
        return Record(number, data, digest(data))
    return typed_from_dict(kind, number, data, report)


def typed_from_dict(kind: Typed, number: int, data: dict, report: Report) -> Record | None:
    """A record the schema accepts (or Guichet made) as its Struct; its digest, from the dict, is
    the one it always had."""
    try:
        record: Any = msgspec.convert(data, kind.struct, strict=False)
    except msgspec.ValidationError as error:  # the typed tests say it cannot happen
        report.add(number, "(ligne)", f"enregistrement illisible : {str(error)[:200]}")
        return None
    # The patterns too, for records that skipped the schema (`apply_records`): the import writes
    # their values into COPY's text unescaped, trusting them to hold no tab or newline.
    if not kind.check(record):
        report.add(number, "(ligne)", "enregistrement refusé par le schéma (format d'un champ)")
        return None
    return Record(number, record, digest(data))


def digest(data: dict) -> str:
    """SHA-256 of the record's canonical JSON (keys sorted): the same record, however it was
    written, has the same digest."""
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def date_of(data: dict, key: str, path: str = "") -> dt.date:
    return date_at(data[key], f"{path}{key}")


def date_at(text: str, field_name: str) -> dt.date:
    try:
        return _date(text)
    except ValueError:
        raise RecordError(field_name, "date inexistante") from None


@lru_cache(maxsize=MEMO)
def is_date(text: str) -> bool:
    """Whether a text of the schema's date pattern is a day of the calendar (each text once)."""
    try:
        _date(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=MEMO)
def _date(text: str) -> dt.date:
    """A file's dates repeat (a few hundred days): each is parsed once; a ValueError is not kept."""
    return dt.date.fromisoformat(text)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off while a file is read: the records and rows of a file
    are many young objects that make no cycles, which the collector would scan again and again
    (about 8 % of the import's time, ADR 0025). Reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


SWITCH_INTERVAL = float(
    __import__("os").environ.get("EXP_SWITCH", "0.001")
)  # seconds; Python's default is 0.005


@contextmanager
def quick_switching() -> Iterator[None]:
    """The GIL handed over every millisecond rather than every five while a file is read: the
    database thread, back from each send to PostgreSQL, waits for the GIL that the reader and
    the caller hold, and PostgreSQL idles meanwhile. Measured on two cores (ADR 0026): the
    import went from 13 600–15 300 to 16 000–17 400 lines a second, its CPU unchanged."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@contextmanager
def ahead[T](items: Iterator[T], depth: int = 2) -> Iterator[Iterator[T]]:
    """Iterate `items` in a thread, up to `depth` items ahead of the consumer: while the consumer
    waits on the database (which releases the GIL), the next items are being made. An exception
    in the thread is raised in the consumer; leaving the block early stops the thread."""
    done = object()
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            put(_Failure(error))
            return
        put(done)

    def consume() -> Iterator[T]:
        while (item := queue.get()) is not done:
            if isinstance(item, _Failure):
                raise item.error
            yield item

    thread = threading.Thread(target=produce, name="feed-reader", daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        thread.join()


@dataclass
class _Failure:
    error: BaseException


def chunks(iterable: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
