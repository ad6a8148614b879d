"""A tiny element tree with line numbers, built with expat (not public API).

``xml.etree`` drops line numbers; our errors must name the line and the element, so the
readers walk this tree instead. Entity declarations are refused (no entity expansion
attacks) and external entities are never fetched.

>>> root = parse_xml('<a x="1">\\n <b>hi</b>\\n</a>', source=None)
>>> root.tag, root.attrs["x"], root.children[0].tag, root.children[0].text, root.children[0].line
('a', '1', 'b', 'hi', 2)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from cleanpath.errors import InputError

__all__ = ["Element", "parse_xml"]


@dataclass(slots=True)
class Element:
    """One XML element: local tag name (namespace dropped), attributes, text, children."""

    tag: str
    attrs: dict[str, str]
    line: int
    ns: str = ""
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's own character data, stripped."""
        return "".join(self.parts).strip()

    def iter(self, tag: str) -> Iterator[Element]:
        """Children (not deeper) with local name ``tag``."""
        return (c for c in self.children if c.tag == tag)

    def find(self, tag: str) -> Element | None:
        """The first child with local name ``tag``, or None."""
        return next(self.iter(tag), None)

    def child_text(self, tag: str) -> str | None:
        """Text of the first child named ``tag``, or None when there is no such child."""
        child = self.find(tag)
        return None if child is None else child.text


def _split(name: str) -> tuple[str, str]:
    ns, _, local = name.rpartition(" ")
    return ns, local


class _Builder:
    def __init__(self, parser: expat.XMLParserType, source: str | None) -> None:
        self.parser = parser
        self.source = source
        self.stack: list[Element] = []
        self.root: Element | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        ns, tag = _split(name)
        plain = {_split(k)[1]: v for k, v in attrs.items()}
        elem = Element(tag, plain, self.parser.CurrentLineNumber, ns)
        if self.stack:
            self.stack[-1].children.append(elem)
        elif self.root is None:
            self.root = elem
        self.stack.append(elem)

    def end(self, name: str) -> None:
        self.stack.pop()

    def chars(self, data: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(data)

    def refuse_entity(self, name: str, *args: object) -> None:
        raise InputError(
            f"XML entity declarations are not allowed (entity {name!r})",
            path=self.source,
            line=self.parser.CurrentLineNumber,
        )


def parse_xml(
    data: str | bytes, *, source: str | None, root: str | None = None, what: str = ""
) -> Element:
    """Parse ``data`` into an :class:`Element` tree; malformed XML is an :class:`InputError`
    naming the line and the element that was open when the parser stopped. With ``root``,
    a document whose root element has another name is refused as not being ``what``."""
    parser = expat.ParserCreate(namespace_separator=" ")
    builder = _Builder(parser, source)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.chars
    parser.EntityDeclHandler = builder.refuse_entity
    parser.UnparsedEntityDeclHandler = builder.refuse_entity
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        inside = f" inside <{builder.stack[-1].tag}>" if builder.stack else ""
        raise InputError(
            f"malformed XML: {expat.ErrorString(exc.code)}{inside}",
            path=source,
            line=exc.lineno,
            field=builder.stack[-1].tag if builder.stack else None,
        ) from None
    except (ValueError, UnicodeError, LookupError) as exc:
        raise InputError(f"malformed XML: {exc}", path=source) from None
    if builder.root is None:
        raise InputError("empty XML document", path=source, line=1)
    found = builder.root
    if root is not None and found.tag != root:
        raise InputError(
            f"not {what or root}: the root element is <{found.tag}>",
            path=source,
            line=found.line,
            field=found.tag,
        )
    return found
