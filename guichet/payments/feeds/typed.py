"""A feed's records decoded and validated in one pass by msgspec, into Structs generated from the
feed's own JSON Schema (ADR 0026): the schema stays the one contract (docs/feeds.md), and the
Structs cannot drift from it.

msgspec checks the structure, types, enums, lengths, bounds and unknown fields in C, about
2 µs a line. What it cannot check as fast is done here: the `pattern`s (each distinct value
checked once, through a bounded cache: a file repeats its dates, amounts and NIRs) and
`uniqueItems`. Whatever msgspec or these checks reject goes back to the schema's own path
(`base.decode`): jsonschema-rs then says whether the line is valid and jsonschema why not, so
the error report stays what it was; a line the schema accepts is converted to the Struct.
"""

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Annotated, Any, Literal

import msgspec

MEMO = 65_536

# What the generator understands; a schema using anything else cannot be typed (TypeError).
KEYWORDS = {
    "object": {"type", "additionalProperties", "required", "properties", "description", "title",
               "$schema", "$id", "$defs"},
    "string": {"type", "minLength", "maxLength", "pattern", "description"},
    "integer": {"type", "minimum", "maximum", "description"},
    "array": {"type", "minItems", "maxItems", "uniqueItems", "items", "description"},
    "enum": {"enum", "description"},
}  # fmt: skip

type Check = Callable[[Any], bool]


@dataclass(frozen=True)
class Typed:
    """A feed's record type and the checks msgspec leaves to Python."""

    struct: type
    check: Check
    decoder: msgspec.json.Decoder


def typed(schema: dict) -> Typed:
    """The Struct type of a record of `schema`, with the checks of its patterns and unique items."""
    struct, check = _object(schema, schema, "Record")
    return Typed(struct, check, msgspec.json.Decoder(struct))


def canonical(record: msgspec.Struct) -> bytes:
    """The record's JSON with keys sorted and no spaces: byte for byte what orjson writes for the
    same record read as a dict (`base.digest`), so that a digest does not depend on the path."""
    return _encoder.encode(record)


_encoder = msgspec.json.Encoder(order="sorted")


def _resolve(root: dict, node: dict) -> dict:
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/$defs/"):
            raise TypeError(f"unsupported $ref {ref}")
        node = root["$defs"][ref.removeprefix("#/$defs/")]
    return node


def _kind(node: dict) -> str:
    if "enum" in node:
        return "enum"
    if not isinstance(node.get("type"), str):
        raise TypeError(f"a schema node without one type: {node}")
    return node["type"]


def _field(root: dict, node: dict, name: str) -> tuple[Any, Check | None]:
    """The annotation of one value, and the check msgspec leaves to Python (or None)."""
    node = _resolve(root, node)
    kind = _kind(node)
    unknown = set(node) - KEYWORDS.get(kind, set())
    if unknown or kind not in KEYWORDS:
        raise TypeError(f"{name}: cannot type {kind} with {sorted(unknown)}")
    if kind == "enum":
        if not all(isinstance(value, str) for value in node["enum"]):
            raise TypeError(f"{name}: only enums of strings are typed")
        return Literal[tuple(node["enum"])], None
    if kind == "object":
        struct, check = _object(root, node, name)
        return struct, lambda value: value is msgspec.UNSET or check(value)
    if kind == "string":
        meta = msgspec.Meta(min_length=node.get("minLength"), max_length=node.get("maxLength"))
        return Annotated[str, meta], _pattern(node["pattern"]) if "pattern" in node else None
    if kind == "integer":
        return Annotated[int, msgspec.Meta(ge=node.get("minimum"), le=node.get("maximum"))], None
    item, item_check = _field(root, node["items"], name + "[]")
    meta = msgspec.Meta(min_length=node.get("minItems"), max_length=node.get("maxItems"))
    unique = node.get("uniqueItems", False)
    if unique and _kind(_resolve(root, node["items"])) not in ("string", "integer", "enum"):
        raise TypeError(f"{name}: uniqueItems only on scalars")

    if unique:

        def check_items(values: Any) -> bool:
            if values is msgspec.UNSET:
                return True
            if len(set(values)) != len(values):
                return False
            return item_check is None or all(map(item_check, values))

        return Annotated[list[item], meta], check_items  # type: ignore[valid-type]
    if item_check is None:
        return Annotated[list[item], meta], None  # type: ignore[valid-type]

    def check_each(values: Any) -> bool:
        return values is msgspec.UNSET or all(map(item_check, values))

    return Annotated[list[item], meta], check_each  # type: ignore[valid-type]


def _object(root: dict, node: dict, name: str) -> tuple[type, Check]:
    if node.get("additionalProperties") is not False:
        raise TypeError(f"{name}: only objects without additional properties are typed")
    required = set(node.get("required", ()))
    fields: list[tuple] = []
    checks: list[tuple[str, Check]] = []
    for key, child in node["properties"].items():
        annotation, check = _field(root, child, f"{name}.{key}")
        if key in required:
            fields.append((key, annotation))
        else:  # absent stays absent, not a default: the digest and the rules tell them apart
            fields.append((key, annotation | msgspec.UnsetType, msgspec.UNSET))
        if check is not None:
            checks.append((key, check))
    fields.sort(key=lambda f: len(f) == 3)  # required fields first, as Python wants
    struct = msgspec.defstruct(
        name.replace(".", "_").replace("[]", "Item"),
        fields,
        forbid_unknown_fields=True,
        frozen=False,
        module=__name__,
    )

    # The checks of a record run in C as far as possible: one attrgetter for all its checked
    # values, each check a cache hit (a file repeats its values). Absent optional values pass.
    if not checks:
        return struct, lambda record: True
    values = operator.attrgetter(*[key for key, _ in checks])
    functions = [check for _, check in checks]
    if len(checks) == 1:
        only = functions[0]
        return struct, lambda record: only(values(record))

    def check_object(record: Any) -> bool:
        return all(map(operator.call, functions, values(record)))

    return struct, check_object


@cache
def _pattern(pattern: str) -> Check:
    """A JSON Schema pattern anchored at both ends as a check of a whole string (Python's `$`
    would also match before a final newline, ECMA-262's does not)."""
    body = pattern[1:-1]
    if not (pattern.startswith("^") and pattern.endswith("$")) or "$" in body or "^" in body:
        raise TypeError(f"only patterns anchored at both ends are typed: {pattern}")
    matches = re.compile(body, re.ASCII).fullmatch

    @lru_cache(maxsize=MEMO)
    def check(value: Any) -> bool:
        return value is msgspec.UNSET or matches(value) is not None

    return check
