"""The payments feed's fast path (msgspec Structs generated from the JSON Schema) and the schema
itself (jsonschema-rs) give the same verdict on every line, and the same digest (ADR 0026)."""

import copy
import json

import msgspec
import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guichet.payments.feeds.base import (
    Report,
    decode,
    digest,
    is_valid,
    nul_path,
    read_lines,
    schema,
    typed_record,
)
from guichet.payments.feeds.typed import typed
from guichet.payments.tests.test_fuzz import GOOD, JSON

AGREE = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PATHS = ["", "lines.0", "lines.0.copayments.0"]
KEYS = sorted(
    {"external_id", "lines", "recoveries", "quantity", "copayments", "zzz"}
    | set(schema("payments")["properties"])
    | set(schema("payments")["$defs"]["line"]["properties"])
    | set(schema("payments")["$defs"]["copayment"]["properties"])
)
# Values near the schema's edges: patterns' ends, lengths, bounds, enum values, types.
EDGES = st.sampled_from([
    "12.34", "12.3", "123456789.00", "0.00", "١٢.٣٤", "12.34\n", "\n12.34", "2026-11-14",
    "2026-11-14\n", "2026-1-14", "2026-02-30", "2950978361042", "295097836104", "2950978361042\n",
    "2A50978361042", "P-1", "P-1\n", "-P", "x" * 64, "x" * 65, "100", "100.5", "65.5", "101", "",
    "care", "third_party", "member", "professional", "deferred", "capped", "pharmacy", "gp",
    "deductible_medicine", "none", "sent", "x" * 120, "x" * 121, 0, 1, 999, 1000, 1.0, 2**70,
    -1, True, None, [], {}, ["C-1"], ["C-1", "C-1"], ["C-1", "C-2"], [""],
])  # fmt: skip


def with_changes(changes) -> dict:
    record = copy.deepcopy(GOOD)
    for path, key, value, delete in changes:
        target = record
        try:
            for part in filter(None, path.split(".")):
                target = target[int(part)] if part.isdigit() else target[part]
            if delete:
                del target[key]
            else:
                target[key] = value
        except (TypeError, KeyError, IndexError):
            continue
    return record


def fast_verdict(raw: bytes):
    """The fast path alone: the Struct, or None when it leaves the line to the schema."""
    kind = typed_record("payments")
    try:
        record = kind.decoder.decode(raw)
    except (msgspec.MsgspecError, ValueError, RecursionError):
        return None
    return record if kind.check(record) else None


def schema_verdict(raw: bytes) -> dict | None:
    try:
        data = orjson.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, orjson.JSONDecodeError):
        return None
    return data if is_valid("payments", data) else None


def assert_agree(raw: bytes) -> None:
    fast, by_schema = fast_verdict(raw), schema_verdict(raw)
    # What PostgreSQL can store: no text holding U+0000 (refused by `decode`, on its field)
    storable = by_schema is not None and nul_path(by_schema, []) is None
    if fast is not None:  # msgspec never accepts what the schema refuses
        assert by_schema is not None, raw
    report = Report("payments")
    record = decode("payments", 1, raw, report)
    # Whatever the path, a line is accepted exactly when the schema accepts it (and it holds
    # no U+0000).
    assert (record is not None) == storable == (report.error_count == 0), raw
    if record is not None:
        assert record.digest == digest(by_schema)
        assert msgspec.to_builtins(record.data) == msgspec.to_builtins(
            msgspec.convert(by_schema, typed_record("payments").struct, strict=False)
        )


@AGREE
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            st.sampled_from(KEYS),
            EDGES | JSON | st.text(max_size=70),
            st.booleans(),
        ),
        max_size=4,
    )
)
@example([])
@example([("lines.0", "quantity", 1.0, False)])  # an integer for JSON Schema, not for msgspec
@example([("", "recoveries", ["C-9", "C-9"], False)])  # uniqueItems
@example([("", "paid_on", "2026-11-14\n", False)])  # ECMA-262's `$` is the very end
def test_the_fast_path_accepts_a_changed_record_exactly_when_the_schema_does(changes):
    assert_agree(json.dumps(with_changes(changes), ensure_ascii=False).encode())


@AGREE
@given(st.binary(max_size=300) | JSON.map(lambda value: json.dumps(value).encode()))
def test_the_fast_path_accepts_any_line_exactly_when_the_schema_does(raw):
    for _, line in read_lines([raw]):
        assert_agree(line)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"external_id": "P-1", "external_id": "P-2"}',
        json.dumps(GOOD).encode().replace(b'"P-1"', b'"P-0", "external_id": "P-1"', 1),
        json.dumps(GOOD, ensure_ascii=True).encode(),  # \u escapes read the same
        json.dumps(GOOD, indent=2).replace("\n", " ").encode(),
        json.dumps(GOOD).encode().replace(b'"PHARMACIE"', b'"PHAR\\u0000MACIE\\u2028\\"/"'),
        json.dumps(GOOD).encode().replace(b'"PHARMACIE"', b'"PHAR\\\\u0000MACIE\\u2028\\"/"'),
    ],
)
def test_the_same_record_written_otherwise_has_the_same_verdict_and_digest(raw):
    assert_agree(raw)


def test_the_good_record_takes_the_fast_path():
    assert fast_verdict(json.dumps(GOOD).encode()) is not None


def test_the_structs_follow_every_property_of_the_schema():
    """Generated, so nothing to keep equal by hand: here, what each Struct demands of a field."""
    info = msgspec.inspect.type_info(typed_record("payments").struct)
    fields = {field.name: field for field in info.fields}
    payments = schema("payments")
    assert set(fields) == set(payments["properties"])
    assert {name for name, field in fields.items() if field.required} == set(payments["required"])
    assert set(fields["kind"].type.values) == set(payments["properties"]["kind"]["enum"])
    lines = fields["lines"].type
    assert (lines.min_length, lines.max_length) == (1, 99)
    line = {field.name: field for field in lines.item_type.fields}
    assert set(line) == set(payments["$defs"]["line"]["properties"])
    quantity = line["quantity"].type
    assert (quantity.ge, quantity.le) == (1, 999)


@pytest.mark.parametrize(
    "node",
    [
        {"type": "string", "format": "email"},
        {"type": "number"},
        {"type": "string", "pattern": "[0-9]+"},  # not anchored
        {"oneOf": [{"type": "string"}]},
        {"enum": [1, 2]},
    ],
)
def test_a_schema_the_structs_cannot_express_is_refused_not_half_typed(node):
    with pytest.raises(TypeError):
        typed(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["x"],
                "properties": {"x": node},
            }
        )
