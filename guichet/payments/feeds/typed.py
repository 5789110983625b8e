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

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
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
    code = _Code()
    struct, test = _object(root=schema, node=schema, name="Record", code=code)
    return Typed(struct, code.function(test("record")), msgspec.json.Decoder(struct))


class _Code:
    """The checks msgspec leaves to Python, written as one Python function per object type and
    compiled once (as dataclasses and fastjsonschema do): a chain of `and`s over attributes, each
    pattern a cache hit, about 0.1 µs a value, where a generic loop over fields costs 0.3."""

    def __init__(self) -> None:
        self.names: dict[str, Any] = {"UNSET": msgspec.UNSET}
        self.sources: list[str] = []

    def name(self, value: Any, prefix: str) -> str:
        name = f"{prefix}{len(self.names)}"
        self.names[name] = value
        return name

    def define(self, test: str) -> str:
        """A function of `value` returning `test`; its name."""
        name = f"check{len(self.sources)}"
        self.sources.append(f"def {name}(value):\n    return {test}\n")
        return name

    def function(self, test: str) -> Check:
        namespace = dict(self.names)
        exec("".join(self.sources) + f"def check(record):\n    return {test}\n", namespace)  # noqa: S102
        return namespace["check"]


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


type Test = Callable[[str], str]  # the source of a value's check, given the value's source


_direct: dict[Test, str] = {}  # a test → the function that checks a value known to be there


def _directly(function: str, test: Test) -> Test:
    _direct[test] = function
    return test


def _field(root: dict, node: dict, name: str, code: _Code) -> tuple[Any, Test | None]:
    """The annotation of one value, and its check that msgspec leaves to Python (or None). A
    check lets an absent value (UNSET) through: msgspec has already refused a missing required
    one."""
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
        struct, test_object = _object(root, node, name, code)
        function = code.define(test_object("value"))
        return struct, _directly(
            function, lambda value: f"({value} is UNSET or {function}({value}))"
        )
    if kind == "string":
        meta = msgspec.Meta(min_length=node.get("minLength"), max_length=node.get("maxLength"))
        if "pattern" not in node:
            return Annotated[str, meta], None
        matches = code.name(_pattern(node["pattern"]), "pattern")
        return Annotated[str, meta], _directly(matches, lambda value: f"{matches}({value})")
    if kind == "integer":
        return Annotated[int, msgspec.Meta(ge=node.get("minimum"), le=node.get("maximum"))], None
    item, item_test = _field(root, node["items"], name + "[]", code)
    each = _direct.get(item_test) if item_test else None  # items are never absent
    annotation = Annotated[
        list[item],  # type: ignore[valid-type]
        msgspec.Meta(min_length=node.get("minItems"), max_length=node.get("maxItems")),
    ]
    unique = node.get("uniqueItems", False)
    if unique and _kind(_resolve(root, node["items"])) not in ("string", "integer", "enum"):
        raise TypeError(f"{name}: uniqueItems only on scalars")
    if item_test is None and not unique:
        return annotation, None
    if item_test and each is None:
        each = code.define(item_test("value"))

    def test(value: str) -> str:
        tests = [f"len(set({value})) == len({value})"] if unique else []
        tests += [f"all(map({each}, {value}))"] if each else []
        return f"({value} is UNSET or ({' and '.join(tests)}))"

    return annotation, test


def _object(root: dict, node: dict, name: str, code: _Code) -> tuple[type, Test]:
    if node.get("additionalProperties") is not False:
        raise TypeError(f"{name}: only objects without additional properties are typed")
    required = set(node.get("required", ()))
    fields: list[tuple] = []
    tests: list[tuple[str, Test]] = []
    for key, child in node["properties"].items():
        if not key.isidentifier() or keyword.iskeyword(key):
            raise TypeError(f"{name}: {key!r} cannot be a Struct's field")
        annotation, test = _field(root, child, f"{name}.{key}", code)
        if key in required:
            fields.append((key, annotation))
        else:  # absent stays absent, not a default: the digest and the rules tell them apart
            fields.append((key, annotation | msgspec.UnsetType, msgspec.UNSET))
        if test is not None:
            tests.append((key, test))
    fields.sort(key=lambda f: len(f) == 3)  # required fields first, as Python wants
    struct = msgspec.defstruct(
        name.replace(".", "_").replace("[]", "Item"),
        fields,
        forbid_unknown_fields=True,
        frozen=False,
        gc=False,  # a record holds no cycle: nothing for the collector to track (ADR 0027)
        module=__name__,
    )

    def test_object(value: str) -> str:
        return " and ".join(test(f"{value}.{key}") for key, test in tests) or "True"

    return struct, test_object


@cache
def _pattern(pattern: str) -> Check:
    """A JSON Schema pattern anchored at both ends as a check of a whole string (Python's `$`
    would also match before a final newline, ECMA-262's does not)."""
    body = pattern[1:-1]
    if not (pattern.startswith("^") and pattern.endswith("$")) or "$" in body or "^" in body:
        raise TypeError(f"only patterns anchored at both ends are typed: {pattern}")
    matches = re.compile(body, re.ASCII).fullmatch
    # Each value checked once while the memo has room, and never evicted: a pattern whose values
    # never repeat (the external ids) fills it, then costs a match a value, not an LRU's churn
    # (measured: an LRU kept full made each later file's reading 30 % slower).
    known: dict[Any, bool] = {}

    def check(value: Any) -> bool:
        verdict = known.get(value)
        if verdict is None:
            verdict = value is msgspec.UNSET or matches(value) is not None
            if len(known) < MEMO:
                known[value] = verdict
        return verdict

    return check
