"""Questions, options and conditions of a definition, and their strict parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from server.forms.definition_reader import Reader

# The rules each question type has (their default messages are in messages.py).
RULES: dict[str, tuple[str, ...]] = {
    "text": ("required", "max_length", "invalid"),
    "textarea": ("required", "max_length", "invalid"),
    "email": ("required", "format", "invalid"),
    "phone": ("required", "format", "invalid"),
    "address": ("required", "incomplete", "max_length", "postcode", "invalid"),
    "date": ("required", "incomplete", "real", "past", "future", "invalid"),
    "radios": ("required", "choice", "invalid"),
    "checkboxes": ("required", "min", "choice", "invalid"),
    "yesno": ("required", "choice", "invalid"),
    "file": ("required", "count", "type", "size", "pixels", "unsafe", "upload", "invalid"),
    "location": ("range", "both", "invalid"),
}

# Placeholders a message may use, by rule: every rule also has %(label)s.
RULE_PARAMS: dict[str, tuple[str, ...]] = {
    "max_length": ("max",), "count": ("max",), "size": ("max",), "min": ("min",),
}

QUESTION_TYPES = tuple(RULES)
QUESTION_ID = r"^[a-z][a-z0-9_]*\Z"
OPTION_VALUE = r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z"
AUTOCOMPLETE = r"^[a-z0-9-]+(?: [a-z0-9-]+)*\Z"
RESERVED_QUESTION_IDS = frozenset({"csrf_token"})  # form fields the web layer posts
YES_NO = ("yes", "no")
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
DEFAULT_ROWS = 5
ADDRESS_MAX_LENGTH = 100
DEFAULT_MAX_FILES = 5
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TYPE_KEYS: dict[str, tuple[str, ...]] = {
    "text": ("max_length", "autocomplete"), "textarea": ("max_length", "rows"),
    "email": (), "phone": (), "address": (), "date": ("when",), "radios": ("options",),
    "checkboxes": ("options", "min"), "yesno": (), "file": ("max_files", "max_bytes"),
    "location": (),
}


@dataclass(frozen=True)
class Condition:
    op: str  # equals | in | includes | all | any | not
    question: str | None = None
    values: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    hint: str | None = None
    optional: bool = False
    show_if: Condition | None = None
    errors: dict[str, str] = field(default_factory=dict, hash=False)
    options: tuple[Option, ...] = ()
    max_length: int | None = None
    rows: int | None = None
    autocomplete: str | None = None
    when: str = "any"
    min: int = 1
    max_files: int = DEFAULT_MAX_FILES
    max_bytes: int = DEFAULT_MAX_BYTES

    @cached_property  # read for every answer checked; the question never changes
    def option_values(self) -> tuple[str, ...]:
        return YES_NO if self.type == "yesno" else tuple(o.value for o in self.options)

    def field_id(self, part: str | None = None) -> str:
        """The HTML id (and form field name) of one of this question's inputs."""
        return self.id if part is None else f"{self.id}-{part}"

    @property
    def first_field(self) -> str:
        """Where an error summary link goes: the first input of the question."""
        first = {"date": "day", "address": "line1", "location": "lat"}.get(self.type)
        if self.type in ("radios", "checkboxes", "yesno"):
            first = self.option_values[0]
        return self.field_id(first)


def parse_question(item: Reader, known: dict[str, Question]) -> Question:
    qtype = item.choice("type", QUESTION_TYPES)
    item.keys(("id", "type", "label"), ("hint", "optional", "show_if", "errors",
                                        *TYPE_KEYS[qtype]))
    qid = item.string("id", pattern=QUESTION_ID, max_length=60)
    if qid in known:
        item.child("id").fail(f"{qid!r} is already the id of an earlier question")
    if qid in RESERVED_QUESTION_IDS:
        item.child("id").fail(f"{qid!r} is reserved for the web layer")
    optional = item.boolean("optional", default=qtype == "location")
    if qtype == "location" and not optional:
        item.child("optional").fail("a location question is never required")
    options = _parse_options(item.child("options"), 2 if qtype == "radios" else 1) \
        if qtype in ("radios", "checkboxes") else ()
    question = Question(
        id=qid, type=qtype, label=item.text("label"), hint=item.text("hint", required=False),
        optional=optional, options=options,
        show_if=parse_condition(item.child("show_if"), known) if "show_if" in item else None,
        errors=_parse_errors(item.child("errors"), qtype) if "errors" in item else {},
        max_length=item.integer("max_length", 1, 100_000,
                                default=DEFAULT_MAX_LENGTH.get(qtype)),
        rows=item.integer("rows", 1, 40, default=DEFAULT_ROWS if qtype == "textarea" else None),
        autocomplete=item.string("autocomplete", pattern=AUTOCOMPLETE, default=None),
        when=item.choice("when", ("any", "past", "future"), default="any"),
        min=item.integer("min", 1, max(1, len(options)), default=1),
        max_files=item.integer("max_files", 1, 20, default=DEFAULT_MAX_FILES),
        max_bytes=item.integer("max_bytes", 1, 50 * 1024 * 1024, default=DEFAULT_MAX_BYTES),
    )
    return question


def _parse_options(options: Reader, minimum: int) -> tuple[Option, ...]:
    parsed: list[Option] = []
    for item in options.items(minimum=minimum):
        item.keys(("value", "label"), ("hint",))
        value = item.string("value", pattern=OPTION_VALUE, max_length=60)
        if any(o.value == value for o in parsed):
            item.child("value").fail(f"{value!r} is already the value of an earlier option")
        parsed.append(Option(value, item.text("label"), item.text("hint", required=False)))
    return tuple(parsed)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _parse_errors(errors: Reader, qtype: str) -> dict[str, str]:
    errors.keys((), RULES[qtype])
    parsed = {}
    for rule in errors.value:
        message = errors.text(rule)
        allowed = ("label", *RULE_PARAMS.get(rule, ()))
        for name in _PLACEHOLDER.findall(message):
            if name not in allowed:
                errors.child(rule).fail(f"%({name})s is not available (use: {', '.join(allowed)})")
        if "%" in _PLACEHOLDER.sub("", message).replace("%%", ""):
            errors.child(rule).fail("a % sign must be written %% (or be a %(name)s placeholder)")
        parsed[rule] = message
    return parsed


def parse_condition(reader: Reader, known: dict[str, Question]) -> Condition:
    value = reader._object()
    if "question" not in value:
        ops = [k for k in ("all", "any", "not") if k in value]
        if len(ops) != 1 or len(value) != 1:
            reader.fail('must be {"question": ..., "equals"|"in"|"includes": ...} or have '
                        'exactly one of "all", "any", "not"')
        op = ops[0]
        if op == "not":
            return Condition("not", conditions=(parse_condition(reader.child("not"), known),))
        children = tuple(parse_condition(c, known) for c in reader.child(op).items(minimum=1))
        return Condition(op, conditions=children)
    reader.keys(("question",), ("equals", "in", "includes"))
    ops = [k for k in ("equals", "in", "includes") if k in value]
    if len(ops) != 1:
        reader.fail('needs exactly one of "equals", "in", "includes"')
    op = ops[0]
    qid = reader.string("question", max_length=60)
    question = known.get(qid)
    if question is None:
        reader.child("question").fail(f"{qid!r} is not a question on an earlier page or "
                                      "earlier on this page")
    wanted = ("checkboxes",) if op == "includes" else ("radios", "yesno")
    if question.type not in wanted:
        reader.child(op).fail(f"{op!r} needs a {' or '.join(wanted)} question, and "
                              f"{qid!r} is {question.type}")
    values = [reader.child(op)] if op != "in" else reader.child(op).items(minimum=1)
    for item in values:
        if item.value not in question.option_values:
            item.fail(f"{item.value!r} is not one of the values of {qid!r}: "
                      f"{', '.join(question.option_values)}")
    return Condition(op, qid, tuple(item.value for item in values))
