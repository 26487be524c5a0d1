"""Read articles from files and directories into ``RawDocument`` records.

Formats: ``.txt``; ``.html``/``.htm`` (parsed with selectolax; scripts,
styles, navigation, headers, footers and asides dropped); ``.jsonl`` and
``.csv`` with one article a record (``text`` plus optional ``id``,
``title``, ``date``, ``source``, ``url``), streamed record by record so a
corpus file of any size is read in constant memory.

Encodings: UTF-8 with or without BOM, UTF-16/32 with BOM, GB18030/GBK and
Big5. Anything unreadable becomes an ``InputError`` naming the file (and
line) instead of an exception, so the rest of the corpus still builds.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.types import InputError, RawDocument

#: File suffixes read when walking a directory, and the reader for each.
FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
#: Bytes looked at to detect the encoding of a streamed (JSONL/CSV) file.
SAMPLE_BYTES = 1 << 16
#: Record fields besides ``text``.
FIELDS = ("id", "title", "date", "source", "url")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_SPACE_RE = re.compile("[ \t\r\n\f]+")
_DROP_TAGS = ["script", "style", "nav", "header", "footer", "aside", "noscript", "template", "iframe", "svg", "form", "button", "select", "head"]
_BLOCK_TAGS = frozenset(
    ["p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "thead", "tbody", "tfoot", "caption", "section", "article", "main", "blockquote", "pre", "figure", "figcaption", "hr", "address", "center", "details", "summary", "body", "html", "td", "th"]
)


class DecodeError(Exception):
    """The bytes are not text in any supported encoding."""


def read_corpus(paths: Iterable[str | Path]) -> Iterator[RawDocument | InputError]:
    """Every article in ``paths`` (files or directories, walked recursively in sorted order).

    Yields a ``RawDocument`` per article and an ``InputError`` per file or
    record that cannot be read. ``doc_id`` is the file name, or the path
    relative to the given directory when two files share a name; records of
    JSONL/CSV files use their ``id`` or ``<file name>#L<line>``.
    """
    files: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for item in paths:
        p = Path(item)
        if not p.exists():
            yield InputError(str(p), "no such file or directory")
            continue
        for found in _walk(p):
            if isinstance(found, InputError):
                yield found
                continue
            path, rel = found
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                files.append((path, rel))
    names = Counter(path.name for path, _ in files)
    for path, rel in files:
        doc_id = path.name if names[path.name] == 1 else rel
        kind = FORMATS.get(path.suffix.lower(), "text")
        limit = {"text": 4 * MAX_DOCUMENT_CHARS, "html": 160 * MAX_DOCUMENT_CHARS}.get(kind)
        if limit is not None and path.stat().st_size > limit:  # not even read: one article is never this large
            yield InputError(printable(str(path)), f"{path.stat().st_size:,} bytes: above the size of one article; split it")
            continue
        try:
            for item in _READERS[kind](path, doc_id):
                yield from _without_controls(_bounded(_printable(item)))
        except OSError as exc:
            yield InputError(printable(str(path)), f"cannot read: {exc.strerror or exc}")


def printable(name: str) -> str:
    """``name`` as valid UTF-8: a file name's undecodable bytes as \\xff, a lone surrogate as \\ud800."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


#: The most characters one document may have: a news article has tens of thousands at most, and the
#: build's memory grows with the longest document, so a longer one is refused with a message.
#: A text file of more than four bytes a character allowed, an HTML page of more than 160, is not read.
MAX_DOCUMENT_CHARS = 200_000


def _bounded(item: RawDocument | InputError) -> RawDocument | InputError:
    if isinstance(item, RawDocument) and len(item.raw_text) > MAX_DOCUMENT_CHARS:
        message = f"{len(item.raw_text):,} characters: above the {MAX_DOCUMENT_CHARS:,} of one article; split it"
        return InputError(item.source, message, item.line)
    return item


def _without_controls(item: RawDocument | InputError) -> Iterator[RawDocument | InputError]:
    """The document with its stray control characters removed, and a message counting them."""
    if isinstance(item, InputError):
        yield item
        return
    text, removed = _CONTROL_RE.subn("", item.raw_text)
    if removed:
        item = replace(item, raw_text=text)
    yield item
    if removed:
        yield InputError(item.source, f"{removed:,} control character{'s' if removed > 1 else ''} removed", item.line)


def _printable(item: RawDocument | InputError) -> RawDocument | InputError:
    """Ids and paths the manifest, the store and messages can hold (bad\\xffname.txt, a\\ud800b)."""
    if isinstance(item, InputError):
        return replace(item, source=printable(item.source))
    return replace(item, doc_id=printable(item.doc_id), source=printable(item.source))


def _walk(p: Path) -> Iterator[tuple[Path, str] | InputError]:
    """The article files under ``p`` in sorted order, and a message for each folder that cannot be
    read and each link that leads outside ``p`` (neither is followed)."""
    if p.is_file():
        yield p, p.name
        return
    root = p.resolve()
    problems: list[InputError] = []

    def unreadable(exc: OSError) -> None:
        problems.append(InputError(printable(str(exc.filename or p)), f"cannot read folder: {exc.strerror or exc}"))

    found = []
    for folder, dirs, names in os.walk(p, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            path = Path(folder) / name
            if name.startswith(".") or path.suffix.lower() not in FORMATS or not path.is_file():
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(InputError(printable(str(path)), "a link to a file outside the input folder: skipped"))
                continue
            found.append((path.relative_to(p).as_posix(), path))
    for rel_s, path in sorted(found):
        yield path, rel_s
    yield from problems


# --- encodings ---------------------------------------------------------------


def detect_encoding(data: bytes, final: bool = True) -> str:
    """The codec of ``data``: BOM, then strict UTF-8, then GB18030 or Big5.

    ``final`` is False when ``data`` is only the start of a file (a
    character may be cut at the end). Raises ``DecodeError`` for binary data.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    if b"\x00" in data:
        wide = _utf16_without_bom(data)
        if wide is None:
            raise DecodeError("binary file (contains NUL bytes)")
        return wide
    if _decodes(data, "utf-8", final):
        return "utf-8"
    chinese = [c for c in ("gb18030", "big5") if _decodes(data, c, final)]
    if not chinese and _decodes(data, "cp950", final):
        chinese = ["cp950"]
    wide = _utf16_chinese(data)
    if not chinese:
        if wide is None:
            raise DecodeError("not text: undecodable as UTF-8, UTF-16, GB18030 or Big5")
        return wide
    if len(data) > SAMPLE_BYTES:
        data, final = data[:SAMPLE_BYTES], False
    chosen = chinese[0] if len(chinese) == 1 else _choose_chinese(data, final)
    if wide is not None and _common_share(_decode_prefix(data, chosen, final)) < 0.5:
        return wide  # GB18030 decodes UTF-16 Chinese too, as rare characters
    return chosen


def _utf16_chinese(data: bytes) -> str | None:
    """UTF-16 without a BOM and without NULs (Chinese only): the reading made of common characters."""
    even = data[: len(data) // 2 * 2][:SAMPLE_BYTES]
    for codec in ("utf-16-le", "utf-16-be"):
        readable = len(even) >= 8 and _decodes(even, codec, False) and _reads_as_text(even, codec)
        if readable and _common_share(even.decode(codec, errors="replace")) >= 0.8:
            return codec
    return None


def _decodes(data: bytes, codec: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(codec)(errors="strict").decode(data, final=final)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs mostly in one byte column (the high bytes of its ASCII
    characters; a few CJK characters have a NUL low byte), and the decoded text reads
    as Chinese or ASCII text, not as binary."""
    if len(data) < 4:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros > 3 * other and _reads_as_text(data[: len(data) // 2 * 2], codec):
            return codec
    return None


_TEXT_CHAR = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _reads_as_text(data: bytes, codec: str) -> bool:
    text = data.decode(codec, errors="replace")
    return bool(text) and len(_TEXT_CHAR.findall(text)) >= 0.97 * len(text)


def _choose_chinese(data: bytes, final: bool) -> str:
    """GB18030 or Big5 for bytes that decode as both.

    charset-normalizer, restricted to the two, gives an opinion; the share
    of common Chinese characters in each reading settles it when the two
    readings differ clearly (short texts fool the detector).
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    guess = "big5" if best is not None and best.encoding == "big5" else "gb18030"
    scores = {c: _common_share(_decode_prefix(data, c, final)) for c in ("gb18030", "big5")}
    other = "big5" if guess == "gb18030" else "gb18030"
    return other if scores[other] > scores[guess] + 0.05 else guess


def _decode_prefix(data: bytes, codec: str, final: bool) -> str:
    return codecs.getincrementaldecoder(codec)(errors="strict").decode(data, final=final)


def _common_share(text: str) -> float:
    """Share of ideographs among the most frequent Chinese characters (either script)."""
    ideographs = _CJK_RE.findall(text)
    if not ideographs:
        return 0.0
    common = _common_characters()
    return sum(ch in common for ch in ideographs) / len(ideographs)


@lru_cache(maxsize=1)
def _common_characters() -> frozenset[str]:
    """The 3,000 most frequent characters of jieba's dictionary, simplified and traditional."""
    import jieba
    import opencc

    freq: dict[str, int] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, count, _ = line.split(" ", 2)
            for ch in word:
                freq[ch] = freq.get(ch, 0) + int(count)
    top = "".join(sorted(freq, key=lambda c: -freq[c])[:3000])
    return frozenset(top) | frozenset(opencc.OpenCC("s2t").convert(top))


def decode(data: bytes) -> str:
    """Text of a whole file's bytes; raises ``DecodeError`` for binary or unknown encodings."""
    codec = detect_encoding(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"cannot decode as {codec}: {exc.reason} at byte {exc.start}") from exc
    return _check_text(text)


def _check_text(text: str) -> str:
    """Text that is no binary data (one character in 20 a control); its stray controls are removed later,
    with a message counting them (``_without_controls``)."""
    text = text.lstrip("\ufeff")
    if len(_CONTROL_RE.findall(text, 0, 1 << 20)) > 2 + min(len(text), 1 << 20) // 20:
        raise DecodeError("binary file (control characters)")
    return text


# --- readers -----------------------------------------------------------------


def _read_text(path: Path, doc_id: str) -> Iterator[RawDocument | InputError]:
    data = path.read_bytes()
    if not data.strip():
        yield InputError(str(path), "empty file")
        return
    try:
        text = decode(data)
    except DecodeError as exc:
        yield InputError(str(path), str(exc))
        return
    if not text.strip():
        yield InputError(str(path), "empty file (no text)")
        return
    yield RawDocument(doc_id=doc_id, source=str(path), raw_text=text)


def _read_html(path: Path, doc_id: str) -> Iterator[RawDocument | InputError]:
    data = path.read_bytes()
    if not data.strip():
        yield InputError(str(path), "empty file")
        return
    try:
        html = _decode_html(data)
    except DecodeError as exc:
        yield InputError(str(path), str(exc))
        return
    try:
        title, text = html_text(html)
    except Exception as exc:  # the parser is lenient; this is truly unreadable markup
        yield InputError(str(path), f"unreadable HTML: {exc}")
        return
    if not text.strip():
        yield InputError(str(path), "no text in HTML")
        return
    yield RawDocument(doc_id=doc_id, source=str(path), raw_text=text, html_title=title)


def _decode_html(data: bytes) -> str:
    """Bytes of an HTML page; a ``<meta charset>`` that decodes cleanly wins over detection."""
    m = _META_CHARSET_RE.search(data[:4096])
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        declared = m.group(1).decode("ascii").lower()
        declared = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950"}.get(declared, declared)
        try:
            return _check_text(data.decode(declared))
        except (UnicodeDecodeError, LookupError):
            pass
    return decode(data)


def html_text(html: str) -> tuple[str | None, str]:
    """The title and the visible text of a page, one line per block element."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_shallow(html))
    title = None
    for selector in ("title", "h1"):
        node = tree.css_first(selector)
        if node is not None and (t := _HTML_SPACE_RE.sub(" ", node.text()).strip()):
            title = t
            break
    tree.strip_tags(_DROP_TAGS, recursive=True)
    root = tree.body or tree.root
    pieces: list[str] = []
    if root is not None:
        _collect(root, pieces)
    text = "".join(pieces)
    lines = (line.strip(" ") for line in text.split("\n"))
    return title, "\n".join(line for line in lines if line)


#: Elements nested deeper than this lose their tags (their text stays): the parser's work for a block
#: tag grows with the number of elements open around it, so a page nested 200,000 deep took minutes.
MAX_HTML_DEPTH = 512
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
#: Tags that open no element to close (void) or whose end tag is often left out: they do not count as depth.
_FLAT_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp"]
)


def _shallow(html: str) -> str:
    """``html`` with the tags nested deeper than MAX_HTML_DEPTH removed, in one pass over its tags."""
    depth = 0
    cut: list[tuple[int, int]] = []
    for m in _TAG_RE.finditer(html):
        if m.group(3) or m.group(2).lower() in _FLAT_TAGS:
            continue
        if m.group(1):
            if depth > MAX_HTML_DEPTH:
                cut.append(m.span())
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                cut.append(m.span())
    if not cut:
        return html
    pieces, at = [], 0
    for start, end in cut:
        pieces.append(html[at:start])
        at = end
    pieces.append(html[at:])
    return "".join(pieces)


def _collect(root, pieces: list[str]) -> None:
    """Text of ``root`` in document order; block elements start and end lines."""
    stack: list[tuple[object, bool]] = [(root, False)]
    pre = 0
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            if tag == "pre":
                pre -= 1
            pieces.append("\n")
            continue
        if tag == "-text":
            value = node.text_content or ""
            pieces.append(value if pre else _html_space(value, pieces))
            continue
        if tag is None or tag.startswith("-") or tag == "_comment":
            continue
        block = tag in _BLOCK_TAGS
        if block:
            pieces.append("\n")
            stack.append((node, True))
            if tag == "pre":
                pre += 1
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))


def _html_space(value: str, pieces: list[str]) -> str:
    """HTML whitespace collapses to one space, and to nothing between two ideographs (as browsers do)."""
    prev = next((p[-1] for p in reversed(pieces) if p), "\n")

    def repl(m: re.Match[str]) -> str:
        before = value[m.start() - 1] if m.start() else prev
        after = value[m.end()] if m.end() < len(value) else ""
        if before == "\n":
            return ""
        if "\n" in m.group() and (_CJK_RE.match(before) or (after and _CJK_RE.match(after))):
            return ""
        return " "

    return _HTML_SPACE_RE.sub(repl, value)


def _record(path: Path, doc_id_base: str, line: int, rec: dict[str, object]) -> RawDocument | InputError:
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(str(path), "record has no text", line)
    fields = {k: (str(v).strip() or None) if v is not None else None for k in FIELDS if (v := rec.get(k)) is not None}
    doc_id = fields.get("id") or f"{doc_id_base}#L{line}"
    return RawDocument(
        doc_id=doc_id,
        source=str(path),
        raw_text=text,
        line=line,
        title=fields.get("title"),
        date=fields.get("date"),
        publisher=fields.get("source"),
        url=fields.get("url"),
    )


def _open_stream(path: Path, lines: bool = False) -> tuple[io.BufferedReader, str | None] | InputError:
    """The open file and its codec, from a sample of its start.

    With ``lines`` (JSONL, decoded line by line) a sample that fits no one
    codec is no error yet: each line then finds its own.
    """
    f = path.open("rb")
    sample = f.read(SAMPLE_BYTES)
    if not sample.strip():
        f.close()
        return InputError(str(path), "empty file")
    if 0 < sample.count(b"\x00") <= len(sample) // 1000 + 1:
        sample = sample.replace(b"\x00", b"")  # a stray NUL: its line is reported, the file is read
    try:
        codec: str | None = detect_encoding(sample, final=len(sample) < SAMPLE_BYTES)
    except DecodeError as exc:
        if not lines or b"\x00" in sample:
            f.close()
            return InputError(str(path), str(exc))
        codec = None
    f.seek(0)
    return f, codec


def _read_jsonl(path: Path, doc_id: str) -> Iterator[RawDocument | InputError]:
    opened = _open_stream(path, lines=True)
    if isinstance(opened, InputError):
        yield opened
        return
    f, codec = opened
    with f:
        count = 0
        for n, line in _jsonl_lines(path, f, codec):
            if isinstance(line, InputError):  # a record, if an unreadable one: the file is not empty
                count += 1
                yield line
                continue
            if not line.strip():
                continue
            count += 1
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(str(path), f"malformed JSON: {exc.msg} (column {exc.colno})", n)
                continue
            if not isinstance(rec, dict):
                yield InputError(str(path), "expected a JSON object", n)
                continue
            yield _record(path, doc_id, n, rec)
        if count == 0:
            yield InputError(str(path), "empty file (no records)")


def _jsonl_lines(path: Path, f: io.BufferedReader, codec: str | None) -> Iterator[tuple[int, str | InputError]]:
    """Decoded lines, one at a time.

    A line is tried as UTF-8, then in the file's codec, then in the codec
    detected from the line itself (files concatenated from several
    sources); one that fits none is an error for that line only.
    """
    if codec in _WIDE:
        stream = io.TextIOWrapper(f, encoding=codec, errors="strict", newline=None)
        n = 0
        try:
            for n, line in _lines_within(stream, MAX_LINE_BYTES // 2):  # noqa: B007
                yield n, line if line is not None else _long_line(path, n)
        except UnicodeDecodeError as exc:
            yield n + 1, InputError(str(path), f"cannot decode as {codec}: {exc.reason}", n + 1)
        return
    for n, raw in _lines_within(f, MAX_LINE_BYTES):
        if raw is None:
            yield n, _long_line(path, n)
            continue
        try:
            line = _decode_line(raw, codec)
        except DecodeError as exc:
            yield n, InputError(str(path), str(exc), n)
            continue
        yield n, line.lstrip("\ufeff") if n == 1 else line


#: The longest JSONL line read: a record's text, every character escaped (\\uXXXX), of the most
#: characters one document may have, and its fields. Longer lines are skipped unread, a piece at a time.
MAX_LINE_BYTES = 8 * MAX_DOCUMENT_CHARS + (1 << 16)


def _lines_within(f: Any, limit: int) -> Iterator[tuple[int, Any]]:
    """Numbered lines of a binary or text stream; a line longer than ``limit`` is None, passed over
    without ever being held whole."""
    n = 0
    while line := f.readline(limit + 1):
        n += 1
        if len(line) > limit and line[-1:] not in ("\n", b"\n"):
            while (rest := f.readline(1 << 20)) and rest[-1:] not in ("\n", b"\n"):
                pass
            line = None
        yield n, line


def _long_line(path: Path, n: int) -> InputError:
    return InputError(str(path), f"a line of more than {MAX_LINE_BYTES:,} bytes: above the size of one article; split it", n)


def _decode_line(raw: bytes, codec: str | None) -> str:
    for c in dict.fromkeys(("utf-8", codec or "utf-8")):
        try:
            return raw.decode(c)
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise DecodeError("binary data (contains NUL bytes)")
    return raw.decode(detect_encoding(raw))


def _read_csv(path: Path, doc_id: str) -> Iterator[RawDocument | InputError]:
    opened = _open_stream(path)
    if isinstance(opened, InputError):
        yield opened
        return
    f, codec = opened
    csv.field_size_limit(1 << 30)
    with io.TextIOWrapper(f, encoding=codec, errors="strict", newline="") as stream:
        nul_lines: list[int] = []
        reader = csv.reader(_without_nul(stream, nul_lines), strict=True)
        yield from _csv_records(path, doc_id, reader, codec)
        for n in nul_lines:
            yield InputError(str(path), "NUL bytes removed from this line", n)


def _without_nul(lines: Iterable[str], where: list[int]) -> Iterator[str]:
    """The lines with NUL characters dropped; ``where`` collects their line numbers."""
    for n, line in enumerate(lines, start=1):
        if "\x00" in line:
            where.append(n)
            line = line.replace("\x00", "")
        yield line


def _csv_records(path: Path, doc_id: str, reader: Any, codec: str | None) -> Iterator[RawDocument | InputError]:
    """The records of a CSV reader; a broken quote or byte ends the file at the record it opens."""
    start = 1
    try:
        columns = _csv_columns(path, next(reader, None))
        if isinstance(columns, InputError):
            yield columns
            return
        start = reader.line_num + 1
        count = 0
        for row in reader:
            if any(cell.strip() for cell in row):
                count += 1
                yield _record(path, doc_id, start, dict(zip(columns, row, strict=False)))
            start = reader.line_num + 1
        if count == 0:
            yield InputError(str(path), "empty file (no records)")
    except UnicodeDecodeError as exc:
        yield InputError(str(path), f"cannot decode as {codec}: {exc.reason}; rest of file skipped", start)
    except csv.Error as exc:  # strict: an unterminated quote is an error, not one field to the end
        yield InputError(str(path), f"malformed CSV: {exc} in the record that starts here; rest of file skipped", start)


def _csv_columns(path: Path, header: list[str] | None) -> list[str] | InputError:
    if header is None:
        return InputError(str(path), "empty file")
    columns = [h.strip().lstrip("\ufeff").lower() for h in header]
    return columns if "text" in columns else InputError(str(path), "CSV header has no 'text' column", 1)


_READERS = {"text": _read_text, "html": _read_html, "jsonl": _read_jsonl, "csv": _read_csv}
