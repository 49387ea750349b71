"""Reading articles: files and folders, encodings, publication dates, page noise and pieces.

An article is a ``.txt``, ``.md``, ``.html`` or ``.htm`` file. Text files are decoded as UTF-8
(with or without BOM), UTF-16 when it carries a BOM or looks like it, then cp1252, then UTF-8 with
replacement characters — never a crash. HTML goes through trafilatura, which drops tags, scripts,
styles and page chrome and finds the page's date.

The publication date comes, in this order, from ``--published``; a header (``date YYYY-MM-DD``,
``Date: ...`` or YAML front matter ``date:``); a dateline in the text ("October 30, 2025 10:39 AM
GMT+03:00", "Islamabad / Kabul, Oct 2025:"); else it stays unknown.

Recognised page noise (menu lines, repeated photo captions, "More From ..." footers) is blanked out
of ``Article.clean`` so it never reaches later stages, while ``Article.text`` keeps the text as read
so that mention offsets still slice it. A second story appended to a page under its own dateline
becomes a separate :class:`~geomap.models.Piece`.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import settings
from ._dates import _MON, MONTHS
from ._errors import InputError
from .models import Article, Piece

ARTICLE_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})

_MONTH_RE = rf"{_MON}\.?"

# "date 2025-10-28", "Date: 2025-10-28", "Published: October 30, 2025" on the first line.
_HEADER_RE = re.compile(
    r"\A\s*(?:date|published|publication date)\s*[:=]?\s*(?P<value>[^\n]{4,60})",
    re.IGNORECASE,
)
_ISO_DATE_RE = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})")
_FRONT_MATTER_RE = re.compile(r"\A---\s*\n(?P<body>.*?)\n---\s*\n", re.DOTALL)
# A line that is only a date and maybe a time: "October 30, 2025 10:39 AM GMT+03:00".
# (``[^\S\n]``, blanks that are not a line break, at either end: a ``\s*`` there would run over
# every following blank line from each line start, quadratic in a run of blank lines.)
# A line of the page's header segments, one of them the date: "Asia | Jun 1st 2023 | ZABOL",
# "Friday 4 October 2024", "News · 12 March 2024 · 3 min read".
_SEGMENT = r"[^|·•\n]{1,60}"
#: A time of day beside a date: "10:39 AM GMT+03:00", "22:15 IST", "4:41 PM GMT+5:30".
_TIME = (
    r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:[^\S\n]*[AP]\.?M\.?)?"
    r"(?:[^\S\n]*(?:GMT|UTC)?[^\S\n]*[+-]\d{1,2}(?::?\d{2})?)?(?:[^\S\n]*[A-Z]{2,4}\b)?"
)
#: A date in words or in unambiguous numbers: "Oct 30, 2025", "30 October 2025", "28/03/2024",
#: "28.11.2023" (numbers are read only where one cannot be a month: :func:`_numeric_date`).
_DATE = (
    rf"(?:(?P<month>{_MONTH_RE})[^\S\n]+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?[^\S\n]+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?[^\S\n]+(?P<month2>{_MONTH_RE}),?[^\S\n]+(?P<year2>\d{{4}})"
    r"|(?P<n1>\d{1,2})(?P<sep>[/.-])(?P<n2>\d{1,2})(?P=sep)(?P<year3>\d{4}))"
)
_DATE_LINE_RE = re.compile(
    rf"^[^\S\n]*(?:{_SEGMENT}[|·•][^\S\n]*){{0,3}}?"
    # a dateline alone on its line: "NEW DELHI, December 13, 2022"
    r"(?:[A-Z][A-Z'’.-]+(?:[ /&-]+[A-Z][A-Z'’.-]+){0,3},[^\S\n]+)?"
    rf"(?:{_TIME},?[^\S\n]+)?"  # "22:15, 14 September 2022"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?[^\S\n]+)?"
    rf"(?:{_DATE}|(?P<year4>\d{{4}})-(?P<month4>\d{{1,2}})-(?P<day4>\d{{1,2}}))"  # "2025-01-05 20:14:36"
    rf"(?:[\s,]+{_TIME})?"
    r"(?:[^\S\n]+(?:Updated|Published))?"  # "May 7, 2025 4:41 PM GMT+5:30 Updated"
    rf"(?:[^\S\n]*[|·•—–]{_SEGMENT}){{0,3}}[^\S\n]*$",  # "THU 20 AUG 2015 — ALL TIMES KST"
    re.IGNORECASE | re.MULTILINE,
)
# A byline line that labels the publication date: "Published October 12, 2025", "Published On
# 12 Oct 2025", "Posted: 2025-10-12 09:14 PKT", "Last updated: Sun, 12 October 2025" — the label
# says which date it is, so text may follow ("Updated about 5 hours ago"). Agency and section words
# may come first, up to three segments ("TNN | Updated: May 8, 2025", "Goma (AFP) - Published:
# 28/01/2025", "Weekly roundup for 6–12 July 2026, published Monday 13 July 2026", "Issue 112 |
# Week of 3-9 March 2025 | Published 10 March 2025"), and a time
# ("Updated 2:48 PM GMT+5, December 25, 2024").
_LABELLED_DATE_RE = re.compile(
    r"^[ \t]*(?:[^\n.|·•]{1,60}?(?:[ \t][|·•–-]|,)[ \t]*){0,3}?"
    r"(?P<label>published|posted|first published|publication date|last updated|updated|dated|issued"
    r"|date(?=[ \t]*:))"  # "Date: 17 June 2025", "Dated: September 7, 2025"
    r"(?:[ \t]+on)?[ \t]*[:\-–]?[ \t]*"
    rf"(?:{_TIME},?[ \t]+)?"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?[ \t]+)?"
    rf"(?:{_DATE}"
    r"|(?P<year4>\d{4})-(?P<month4>\d{1,2})-(?P<day4>\d{1,2})"
    # a year of two digits, in a labelled byline only: "Published 21.01.26, 06:12 AM"
    r"|(?P<n1s>\d{1,2})(?P<seps>[/.])(?P<n2s>\d{1,2})(?P=seps)(?P<year2d>\d{2})(?![\d/.]))\b",
    re.IGNORECASE | re.MULTILINE,
)
#: A situation report's date in its title block: "Flash Update No. 01 (as of 22 August 2024)".
_AS_OF_LINE_RE = re.compile(
    rf"^[^\n]{{0,60}}\(as[^\S\n]+of[^\S\n]+{_DATE}\)[^\S\n]*$", re.IGNORECASE | re.MULTILINE
)


# "Islamabad / Kabul, Oct 2025:" — place(s), a date, maybe the agency, then a colon or dash
# opening the story.
_DATELINE_RE = re.compile(
    r"^(?P<places>[A-Z][\w'’.-]*(?:[ /&,-]+[A-Z][\w'’.-]*){0,5})\s*(?:\([^)\n]{1,40}\))?"
    r"\s*(?:,|(?<=[A-Z])\.)\s*"  # "BELGOROD. Jan 22": a place in capitals may end on a full stop
    rf"(?:(?P<month>{_MONTH_RE})\s+(?:(?P<day>\d{{1,2}})(?:,?\s+|/))?(?P<year>\d{{4}})|(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH_RE})\s+(?P<year2>\d{{4}})"
    r"|(?P<n1>\d{1,2})[-/.](?P<n2>\d{1,2})[-/.](?P<year3>\d{4}))"
    r"\s*(?:\([^)\n]{1,40}\))?\s*[:—–-]\s*"  # "Kabul, Oct 12, 2025 (TOLOnews) –"
    # the date first, the place in brackets: "December 17, 2020 (KHARTOUM) –"
    rf"|^(?:(?P<month4>{_MONTH_RE})\s+(?P<day4>\d{{1,2}}),?\s+(?P<year4>\d{{4}})|(?P<day5>\d{{1,2}})\s+(?P<month5>{_MONTH_RE})\s+(?P<year5>\d{{4}}))"
    r"\s*\((?P<places2>[A-Z][^)\n]{1,40})\)\s*[:—–-]\s*",
    re.MULTILINE,
)


#: The century of a byline's year written in two digits ("Published 21.01.26").
CENTURY = 2000


def _make_date(year: str | int, month: str | int, day: str | int | None) -> tuple[date, str] | None:
    """A date and its precision from parts; month may be a name. None if not a real date."""
    try:
        m = int(month) if str(month).isdigit() else MONTHS[str(month).lower().rstrip(".")]
        d = date(int(year), m, int(day) if day else 1)
    except (KeyError, ValueError):
        return None
    return d, ("day" if day else "month")


def _numeric_date(first: str, second: str, year: str) -> tuple[date, str] | None:
    """A dateline's "28-6-2022" or "6/28/2022": read only when one number cannot be a month
    (day first, as in most of the world, or month first, as in the United States)."""
    a, b = int(first), int(second)
    if a > 12 >= b:
        return _make_date(year, b, a)
    if b > 12 >= a:
        return _make_date(year, a, b)
    return None  # "5-6-2022": 5 June or May 6


def parse_date_text(value: str) -> tuple[date, str] | None:
    """Parse a header date value: ISO ``YYYY-MM-DD``, "October 30, 2025", "30 October 2025", "Oct 2025"."""
    value = value.strip()
    if m := _ISO_DATE_RE.match(value):
        return _make_date(m["y"], m["m"], m["d"])
    if m := re.match(rf"({_MONTH_RE})\s+(\d{{1,2}}),?\s+(\d{{4}})", value, re.IGNORECASE):
        return _make_date(m[3], m[1], m[2])
    if m := re.match(rf"(\d{{1,2}})\s+({_MONTH_RE})\s+(\d{{4}})", value, re.IGNORECASE):
        return _make_date(m[3], m[2], m[1])
    if m := re.match(rf"({_MONTH_RE})\s+(\d{{4}})", value, re.IGNORECASE):
        return _make_date(m[2], m[1], None)
    return None


# ---------------------------------------------------------------------------------------------
# Decoding


#: The first bytes of file kinds that are no text article, and what each is.
_BINARY_SIGNATURES = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a media file",
}


def _looks_binary(data: bytes) -> str | None:
    """Name the kind of a non-text file from its first bytes, or None if it may be text."""
    for magic, kind in _BINARY_SIGNATURES.items():
        if data.startswith(magic):
            return kind
    return None


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: UTF-8 (BOM or not), UTF-16, cp1252, then UTF-8 with replacement."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
        # UTF-16 without a BOM: NUL bytes in every other position for Latin text.
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        encoding = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _check_text(text: str, path: Path) -> None:
    """Refuse decoded content that is not text (control characters throughout)."""
    sample = text[:8192]
    if not sample:
        return
    if _CONTROL_RE.search(sample) is None:
        return  # the usual case: no control character at all
    bad = len(_CONTROL_RE.findall(sample))
    if bad > max(8, len(sample) // 10):
        raise InputError("binary content, not a text article", path)


def read_text(path: Path) -> str:
    """Read and decode one text file, refusing binary files and files over the size limit.

    Only regular files are read (a FIFO, a device such as ``/dev/zero`` or a socket named
    ``*.txt`` is refused rather than read forever), and never more than
    ``settings.MAX_ARTICLE_BYTES + 1`` bytes, even when the file grows while it is read.
    """
    limit = settings.MAX_ARTICLE_BYTES

    def too_big(size: float) -> InputError:
        return InputError(
            f"{size / 1e6:.1f} MB is over the {limit / 1e6:g} MB article limit "
            "(set GEOMAP_MAX_ARTICLE_BYTES to change it)",
            path,
        )

    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise InputError("not a regular file (a pipe, device or socket); not read", path)
        if st.st_size > limit:
            raise too_big(st.st_size)
        with open(path, "rb") as fh:
            # Ask for the size stat gave (a buffer of the limit for every small file costs more
            # than reading it); only a file that grew since is read on, still to limit + 1.
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(limit + 1 - len(data))
        if len(data) > limit:
            raise too_big(len(data))
    except InputError:
        raise
    except FileNotFoundError as exc:
        raise InputError("no such file (it may have been removed while reading)", path) from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, not an article file", path) from exc
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path) from exc
    if kind := _looks_binary(data):
        raise InputError(f"looks like {kind}, not a text article", path)
    text = decode_bytes(data).replace("\x00", "")
    _check_text(text, path)
    return text


# ---------------------------------------------------------------------------------------------
# HTML


#: Pages longer than this (characters) are not given to trafilatura as they are: its time and
#: memory grow faster than the page (a tag-dense page of 4 MB took 11 s and 1.7 GB, of 8 MB 35 s
#: and 5.9 GB, of 19 MB every gigabyte the machine had). Their scripts and styles are dropped
#: first; what is still longer is read as plain block text, and its date from its markup
#: (htmldate's fast search: meta tags, JSON-LD, time elements). Real article pages are far smaller.
LARGE_HTML = 2_000_000
#: What a page's reader drops as no text: scripts, styles, embedded frames and drawings.
_NO_TEXT_XPATH = "//script|//style|//noscript|//iframe|//template|//svg"
#: Elements that end a line of text when a page is read as plain blocks.
_BLOCK_TAGS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 br tr td th table section article header footer aside nav "
    "blockquote pre dd dt dl figure figcaption main form".split()
)


def html_to_text(html: str) -> tuple[str, tuple[date, str] | None]:
    """Main text of an HTML page and its date, through trafilatura (scripts, styles, chrome
    dropped); pages over :data:`LARGE_HTML` are first stripped of scripts and styles, and read as
    plain blocks when still that long (:func:`_large_html_to_text`)."""
    if len(html) > LARGE_HTML:
        return _large_html_to_text(html)
    return _trafilatura_text(html, extensive_date_search=True)


def _trafilatura_text(html: str, extensive_date_search: bool) -> tuple[str, tuple[date, str] | None]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        date_extraction_params={"extensive_search": extensive_date_search},
    )
    text = ""
    found: tuple[date, str] | None = None
    if doc is not None:
        text = (getattr(doc, "text", None) or "").strip()
        raw_date = getattr(doc, "date", None)
        if raw_date:
            found = parse_date_text(str(raw_date))
    if not text:
        # Too little for trafilatura's heuristics: fall back to all visible text.
        text = _plain_text(html, blocks=False)
    return text, found


def _parse_html(html: str) -> Any:
    """An lxml tree of the page with its scripts, styles and frames dropped, or None on junk."""
    from lxml import html as lxml_html  # type: ignore[import-untyped]  # lxml ships no types

    try:
        # (huge_tree: libxml2 otherwise stops at 256 levels of nesting and loses the rest)
        tree = lxml_html.fromstring(html, parser=lxml_html.HTMLParser(huge_tree=True))
    except Exception:  # lxml raises several kinds on junk; an empty page is the answer
        return None
    for bad in tree.xpath(_NO_TEXT_XPATH):
        bad.drop_tree()
    return tree


def _plain_text(html: str, blocks: bool = True, tree: Any = None) -> str:
    """All visible text of a page (a line per block element when ``blocks``); read as a stream
    of tags when nested deeper than any tree parser goes."""
    tree = _parse_html(html) if tree is None else tree
    text = ""
    if tree is not None:
        if blocks:
            for el in tree.iter(*_BLOCK_TAGS):
                el.tail = "\n" + (el.tail or "")
        text = tree.text_content()
        text = re.sub(r"[ \t]+", " ", text)
        text = re.sub(r" *\n[\s]*\n\s*", "\n\n", text) if blocks else text
        text = text.strip()
    if not text:  # nested deeper than any tree parser goes: the text, read as a stream
        text = re.sub(r"[ \t]+", " ", _stream_text(html)).strip()
    return text


def _large_html_to_text(html: str) -> tuple[str, tuple[date, str] | None]:
    """A page over :data:`LARGE_HTML`: without its scripts and styles, through trafilatura when
    that brings it under the limit (a real page heavy with scripts), else as plain blocks, in time
    and memory that grow with the page."""
    import htmldate
    from lxml import html as lxml_html

    tree = _parse_html(html)
    text, found = "", None
    if tree is not None:
        reduced = lxml_html.tostring(tree, encoding="unicode")
        if len(reduced) <= LARGE_HTML:
            text, found = _trafilatura_text(reduced, extensive_date_search=False)
    if found is None:  # the markup's date, JSON-LD in its scripts included
        try:
            raw = htmldate.find_date(html, extensive_search=False, original_date=True)
        except Exception:  # htmldate on junk markup: no date rather than no article
            raw = None
        found = parse_date_text(str(raw)) if raw else None
    return (text or _plain_text(html, tree=tree)), found


def _stream_text(html: str) -> str:
    """The visible text of HTML read as a stream of tags (no tree, so no depth limit), without
    scripts, styles and the like."""
    from html.parser import HTMLParser

    hidden = {"script", "style", "noscript", "iframe", "template"}

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag in hidden:
                self.skip += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in hidden and self.skip:
                self.skip -= 1

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


# ---------------------------------------------------------------------------------------------
# Publication date, noise, pieces


def header_date(text: str) -> tuple[date, str] | None:
    """The date of a ``date``/``Date:`` header line or of YAML front matter ``date:``."""
    if fm := _FRONT_MATTER_RE.match(text):
        for line in fm["body"].splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in {"date", "published"}:
                return parse_date_text(value.strip().strip("'\""))
    if m := _HEADER_RE.match(text):
        return parse_date_text(m["value"])
    return None


#: How far into a story its dateline may open a line (after a headline and a byline).
DATELINE_WITHIN_CHARS = 800

#: A wire dateline with no year ("KABUL, Oct 15 (Reuters) -", "BISHKEK, Sept 16 —"): it dates no
#: story (a year is needed for that), but it is still the day of filing, not of what it reports.
_YEARLESS_DATELINE_RE = re.compile(
    r"^(?P<places>[A-Z][\w'’.-]*(?:[ /&,-]+[A-Z][\w'’.-]*){0,5})\s*(?:\([^)\n]{1,40}\))?"
    r"\s*(?:,|(?<=[A-Z])\.)\s*"  # "BELGOROD. Jan 22": a place in capitals may end on a full stop
    rf"(?P<ymon>{_MONTH_RE})\.?\s+(?P<yday>\d{{1,2}})(?:st|nd|rd|th)?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*[:—–-]\s*",
    re.MULTILINE,
)


def yearless_dateline(text: str) -> tuple[int, int] | None:
    """(month, day) of a wire dateline with no year opening a line near the top of ``text``
    ("PESHAWAR, Pakistan, Feb 19 (Reuters) -"), or None."""
    m = _YEARLESS_DATELINE_RE.search(text[:DATELINE_WITHIN_CHARS])
    if m is None:
        return None
    month = MONTHS.get(m["ymon"].lower().rstrip("."))
    return (month, int(m["yday"])) if month else None


#: A dateline with no date ("AKCAKALE, Turkey (AP) —", "MANDERA, Kenya -"): its first word in
#: capitals, so that a sentence opening on a name ("Kabul — the capital — ...") is none.
_DATELESS_DATELINE_RE = re.compile(
    r"^(?P<places>[A-Z][A-Z'’.-]{2,}(?:[ /-]+[A-Z][A-Z'’.-]+){0,3})"
    r"(?:\s*,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})?"
    r"\s*(?:\([^)\n]{1,40}\))?\s*[—–-]\s+"
)


def blank_dateline(sentence: str) -> str:
    """The sentence with a dateline that opens it ("Kabul, Oct 12, 2025 (TOLOnews) –", "BISHKEK,
    Sept 16 —") blanked (same length): the date a story was filed is not the date of what it
    reports."""
    m = (
        _DATELINE_RE.match(sentence)
        or _YEARLESS_DATELINE_RE.match(sentence)
        or _DATELESS_DATELINE_RE.match(sentence)
    )
    return sentence if m is None else " " * m.end() + sentence[m.end() :]


def _date_of(m: re.Match[str]) -> tuple[date, str] | None:
    """The date a match of the date patterns states: a month by name and a day in either order
    (``year``/``year2``, and ``year4``/``year5`` where a pattern has them), an unambiguous
    numeric date (``year3``, :func:`_numeric_date`; ``year2d``, its year in two digits, of a
    labelled byline), or an ISO date (``year4`` of a labelled byline)."""
    groups = m.groupdict()
    if groups.get("year"):
        return _make_date(m["year"], m["month"], m["day"])
    if groups.get("year2"):
        return _make_date(m["year2"], m["month2"], m["day2"])
    if groups.get("year3"):
        return _numeric_date(m["n1"], m["n2"], m["year3"])
    if groups.get("year4"):
        return _make_date(m["year4"], m["month4"], m["day4"])
    if groups.get("year5"):
        return _make_date(m["year5"], m["month5"], m["day5"])
    if groups.get("year2d"):
        return _numeric_date(m["n1s"], m["n2s"], str(CENTURY + int(m["year2d"])))
    return None


def _labelled_dates(text: str) -> list[tuple[int, int, tuple[date, str]]]:
    """Byline lines that label a date as published or updated: (line start, end, date and
    precision), the "updated" ones after every "published" one."""
    found = []
    for m in _LABELLED_DATE_RE.finditer(text):
        if parsed := _date_of(m):
            found.append((m.start(), m.end(), parsed, "updated" in m["label"].lower()))
    found.sort(key=lambda item: (item[3], item[0]))
    return [item[:3] for item in found]


def _dateline_matches(text: str) -> list[tuple[int, int, tuple[date, str]]]:
    """Datelines in the text: (line start, end of the dateline, date and precision)."""
    found = []
    for pattern in (_DATE_LINE_RE, _AS_OF_LINE_RE, _DATELINE_RE):
        for m in pattern.finditer(text):
            if parsed := _date_of(m):
                found.append((m.start(), m.end(), parsed))
    return sorted(found, key=lambda item: item[0])


def _ambiguous_bylines(text: str) -> Iterator[tuple[str, str, int]]:
    """Each byline date in the head of ``text`` whose day and month cannot be told apart, as its
    two numbers and its year ("Published 11/02/2026": "11", "02", 2026)."""
    head = text[:3000]
    for pattern in (_LABELLED_DATE_RE, _DATE_LINE_RE):
        for m in pattern.finditer(head):
            if m.groupdict().get("year3") and _date_of(m) is None:
                yield m["n1"], m["n2"], int(m["year3"])
            elif m.groupdict().get("year2d") and _date_of(m) is None:
                yield m["n1s"], m["n2s"], CENTURY + int(m["year2d"])


def byline_year(text: str) -> int | None:
    """The year of a byline's date whose day and month cannot be told apart ("Published
    11/02/2026": 11 February or 2 November), or None: the story is of that year either way."""
    return next((year for _first, _second, year in _ambiguous_bylines(text)), None)


def byline_readings(text: str) -> tuple[date, date] | None:
    """The two readings, day first and month first, of a byline's date whose day and month
    cannot be told apart ("Published: 08/07/2024": 8 July or 7 August), or None."""
    for first, second, year in _ambiguous_bylines(text):
        a, b = _make_date(year, second, first), _make_date(year, first, second)
        if a is not None and b is not None:
            return a[0], b[0]
    return None


@lru_cache(maxsize=1)
def _noise_words() -> frozenset[str]:
    """Words of page chrome, from ``geodata/page_noise.csv``."""
    words = set()
    with open(settings.geodata_path("page_noise.csv"), encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#") and line != "word":
                words.add(line.lower())
    return frozenset(words)


_FOOTER_RE = re.compile(
    r"^\s*(?:more from|read more|related(?: articles| stories)?|recommended|you may also like)\b.{0,60}$",
    re.IGNORECASE,
)
_LETTER_RUN_RE = re.compile(r"[^\W\d_]+")
_ENDS_SENTENCE_RE = re.compile(r"[.!?]$")
#: A line of at most eight chrome words is never longer than this; longer lines skip that test.
_CHROME_LINE_MAX = 200


def noise_spans(text: str) -> list[tuple[int, int]]:
    """Spans of recognisable page noise: chrome-only lines, footers, repeated lines (captions)."""
    words = _noise_words()
    spans: list[tuple[int, int]] = []
    long_lines: list[tuple[int, int, str]] = []  # lines that may repeat one another
    pos = 0
    for line in text.splitlines(keepends=True):
        start, body = pos, line.rstrip("\r\n")
        pos += len(line)
        stripped = body.strip()
        if not stripped:
            continue
        tokens = _LETTER_RUN_RE.findall(stripped.lower()) if len(stripped) <= _CHROME_LINE_MAX else ()
        if (
            tokens
            and len(tokens) <= 8
            and all(t in words for t in tokens)
            and not _ENDS_SENTENCE_RE.search(stripped)
        ):
            spans.append((start, start + len(body)))
        elif _FOOTER_RE.match(stripped) and len(stripped.split()) <= 8:
            spans.append((start, start + len(body)))
        elif len(stripped) >= 40:
            long_lines.append((start, start + len(body), stripped))
    if len(long_lines) > 1:  # (a text of one paragraph repeats nothing: no need to compare)
        seen: set[str] = set()
        for start, end, stripped in long_lines:
            key = " ".join(stripped.split()).lower()
            if key in seen:
                spans.append((start, end))
            seen.add(key)
        spans.sort()
    return spans


def blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with each span replaced by spaces (newlines kept), so offsets stay valid."""
    spans = list(spans)
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "
    return "".join(chars)


def split_pieces(clean: str, first: tuple[date, str] | None) -> list[Piece]:
    """Split a page into separately published stories.

    A dateline that opens a paragraph after the first story has begun starts a new piece; the
    headline and byline lines just before it belong to the new piece.
    """
    datelines = [d for d in _dateline_matches(clean) if _DATELINE_RE.match(clean, d[0])]
    pieces: list[Piece] = []
    start = 0
    published = first
    for index, (line_start, _end, found) in enumerate(datelines):
        # The first dateline opens the first story; a later one whose text comes after real
        # article text (several sentences) opens another.
        before = clean[start:line_start]
        if index == 0 or len(re.findall(r"[.!?][”\"’']?\s", before)) < 3:
            continue
        # Walk back over the headline line(s) of the new story (short lines without a full stop).
        cut = line_start
        lines = clean[start:line_start].rstrip("\n").split("\n")
        back = 0
        for line in reversed(lines[-2:]):
            if line.strip() and len(line) < 160 and not line.rstrip().endswith((".", "”", '"')):
                back += len(line) + 1
            else:
                break
        cut = max(start, line_start - back)
        pieces.append(
            Piece(start, cut, published[0] if published else None, published[1] if published else None)
        )
        start, published = cut, found
    pieces.append(
        Piece(start, len(clean), published[0] if published else None, published[1] if published else None)
    )
    return pieces


def text_date(clean: str) -> tuple[date, str] | None:
    """The publication date a dateline near the top of the text gives, if any: a line labelled
    "Published ..." first, then a date line or a place-and-date dateline."""
    if labelled := _labelled_dates(clean[:3000]):
        return labelled[0][2]
    found = _dateline_matches(clean[:3000])
    if not found:
        return None
    # Prefer a day-precise date-time line over a month-only dateline.
    found.sort(key=lambda item: (item[2][1] != "day", item[0]))
    return found[0][2]


# ---------------------------------------------------------------------------------------------
# Public API


def read_article(
    path: str | os.PathLike[str], published: date | None = None, *, dates: bool = True, url: str | None = None
) -> Article:
    """Read one article file: its text as read, noise-free text, publication date, pieces and
    ``meta`` (its ``url``, ``title`` and ``outlet``, :func:`article_meta`; ``url`` is where a
    fetched page came from). ``dates=False`` leaves the publication date, the pieces and ``meta``
    unread (``published`` alone dates the one piece): finding places needs none of them, and a
    corpus reads faster without.

    The publication date, in this order: ``published``; a header line or front matter
    (:func:`header_date`); a dateline or labelled byline in the text (:func:`text_date`); the
    page's metadata (``article:published_time``, ``datePublished``); a date in the article's
    address (:func:`url_date`); the date trafilatura finds in the page."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise InputError(f"not an article file (expected {', '.join(sorted(ARTICLE_SUFFIXES))})", path)
    raw = read_text(path)
    page_date: tuple[date, str] | None = None
    if suffix in HTML_SUFFIXES:
        text, page_date = html_to_text(raw)
    else:
        text = raw
    if not dates:
        clean = blank_spans(text, noise_spans(text))
        return Article(
            name=path.name,
            text=text,
            clean=clean,
            path=str(path),
            published=published,
            published_precision="day" if published else None,
            published_source="option" if published else None,
        )
    meta = _meta_of(path, raw[:_META_BYTES])
    if url:
        meta.setdefault("url", url)
    stated = meta.pop("published", None)
    found: tuple[date, str] | None = None
    source: str | None = None
    if header := header_date(text):
        found, source = header, "header"
    clean = blank_spans(text, noise_spans(text))
    if found is None and (dateline := text_date(clean)):
        found, source = dateline, "dateline"
    if found is None and stated and (from_meta := parse_date_text(stated)):
        found, source = from_meta, "html"
    if found is None and meta.get("url") and (from_url := url_date(meta["url"])):
        found, source = from_url, "url"
    if found is None and page_date:
        found, source = page_date, "html"
    if published is not None:
        found, source = (published, "day"), "option"
    pieces = split_pieces(clean, found)
    if published is not None:
        pieces = [Piece(p.start, p.end, published, "day") for p in pieces]
    return Article(
        name=path.name,
        text=text,
        clean=clean,
        published=found[0] if found else None,
        published_precision=found[1] if found else None,
        published_source=source,
        path=str(path),
        pieces=pieces,
        meta=meta,
    )


def article_from_text(name: str, text: str, published: date | None = None) -> Article:
    """An article from text in memory (used by tests, the API and benchmarks)."""
    found = (published, "day") if published else header_date(text)
    clean = blank_spans(text, noise_spans(text))
    if found is None:
        found = text_date(clean)
    return Article(
        name=name,
        text=text,
        clean=clean,
        published=found[0] if found else None,
        published_precision=found[1] if found else None,
        published_source="option" if published else ("text" if found else None),
        pieces=split_pieces(clean, found),
    )


def _walk(folder: Path, on_skip: Callable[[Path, str], None]) -> Iterator[Path]:
    """Article files under a folder, recursively, in sorted order, safe from symlink loops."""
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(
        folder,
        followlinks=True,
        onerror=lambda e: on_skip(Path(e.filename or folder), f"cannot list ({e.strerror})"),
    ):
        try:
            st = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            on_skip(Path(root), "symlink loop; folder already read")
            dirs[:] = []
            continue
        seen.add(key)
        dirs.sort()
        for name in sorted(files):
            if name.startswith("."):
                continue
            file = Path(root) / name
            if file.suffix.lower() in ARTICLE_SUFFIXES:
                yield file
            else:
                on_skip(file, "not an article file; skipped")


def _note(path: Path, message: str) -> None:
    print(f"geomap: {path}: {message}", file=sys.stderr)


def article_paths(
    paths: Iterable[str | os.PathLike[str]], on_skip: Callable[[Path, str], None] = _note
) -> Iterator[Path]:
    """Expand files and folders into article files, lazily. Bad paths raise InputError."""
    for raw in paths:
        if not isinstance(raw, (str, os.PathLike)):
            raise InputError(f"a path must be a file or folder name, not {type(raw).__name__} {raw!r:.60}")
        if str(raw) == "":
            raise InputError("an empty path names no file or folder")  # (Path("") is the current folder)
        path = Path(raw)
        if not path.exists():
            raise InputError("no such file or folder", path)
        if path.is_dir():
            count = 0
            for file in _walk(path, on_skip):
                count += 1
                yield file
            if count == 0:
                raise InputError("no articles (.txt, .md, .html, .htm) in this folder", path)
        elif path.suffix.lower() not in ARTICLE_SUFFIXES:
            raise InputError(f"not an article file (expected {', '.join(sorted(ARTICLE_SUFFIXES))})", path)
        else:
            yield path


def iter_articles(
    paths: Iterable[str | os.PathLike[str]],
    published: date | None = None,
    strict: bool = False,
    on_skip: Callable[[Path, str], None] = _note,
) -> Iterator[Article]:
    """Read articles from files and folders one at a time (streamed, never all in memory).

    A bad file named on its own raises :class:`InputError`; a bad file inside a folder is reported
    through ``on_skip`` and skipped, unless ``strict``.
    """
    named = {Path(p) for p in paths if not Path(p).is_dir()} if not isinstance(paths, Iterator) else set()
    for path in article_paths(paths, on_skip):
        try:
            yield read_article(path, published)
        except InputError as exc:
            if strict or path in named:
                raise
            on_skip(path, str(exc).removeprefix(f"{path}: ") + "; skipped")


# ------------------------------------------------------------------------------------------------
# where an article was published: its address, headline and outlet (for the map's source links)

_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)
_TAG_ATTR = re.compile(r"""\b([a-z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_TITLE_TAG = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_FRONT_KEY = re.compile(r"^(url|link|canonical|title|headline|source|outlet|publisher)\s*:\s*(.+?)\s*$", re.I)
#: how much of a file the metadata is read from (it sits in the head or the front matter)
_META_BYTES = 200_000


def _attrs(tag: str) -> dict[str, str]:
    import html as _html

    return {m[1].lower(): _html.unescape(m[2] or m[3] or m[4] or "") for m in _TAG_ATTR.finditer(tag)}


def _html_meta(head: str) -> dict[str, str]:
    import html as _html

    meta: dict[str, str] = {}
    for tag in _LINK_TAG.findall(head):
        a = _attrs(tag)
        if "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            meta.setdefault("url", a["href"].strip())
    og = {"og:url": "url", "og:title": "title", "og:site_name": "outlet"}
    for tag in _META_TAG.findall(head):
        a = _attrs(tag)
        key = og.get((a.get("property") or a.get("name") or "").lower())
        if key and a.get("content", "").strip():
            meta.setdefault(key, a["content"].strip())
    if "title" not in meta and (m := _TITLE_TAG.search(head)):
        meta["title"] = re.sub(r"\s+", " ", _html.unescape(m[1])).strip()
    if when := _html_published(head):
        meta["published"] = when
    return meta


#: The publication time a page's metadata states: ``<meta property="article:published_time">``
#: (Open Graph), ``itemprop="datePublished"`` (microdata) or ``"datePublished"`` (JSON-LD).
_PUBLISHED_META = frozenset({"article:published_time", "datepublished", "pubdate", "publishdate"})
_JSON_LD_PUBLISHED_RE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_ITEMPROP_PUBLISHED_RE = re.compile(
    r"<(?:time|span|div)\b[^>]*itemprop\s*=\s*[\"']?datePublished[^>]*>", re.I
)


def _html_published(head: str) -> str | None:
    """The publication time a page's head states in its metadata, as written, or None."""
    for tag in _META_TAG.findall(head):
        a = _attrs(tag)
        name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
        if name in _PUBLISHED_META and a.get("content", "").strip():
            return a["content"].strip()
    for tag in _ITEMPROP_PUBLISHED_RE.findall(head):
        a = _attrs(tag)
        if value := (a.get("datetime") or a.get("content") or "").strip():
            return value
    if m := _JSON_LD_PUBLISHED_RE.search(head):
        return m[1]
    return None


#: A date in a page's address: "/2025/10/12/", "-2025-10-12/", "/20251012/" (a day), "/2025/10/"
#: (a month).
_URL_DAY_RE = re.compile(
    r"(?<![\d])(?P<y>(?:19|20)\d\d)(?P<sep>[/_-]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?![\d])"
)
_URL_MONTH_RE = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>0[1-9]|1[0-2])/")


def url_date(url: str) -> tuple[date, str] | None:
    """The publication date an article's address states ("https://example.org/2025/10/12/slug",
    ".../border-clash-2025-10-12/"), with its precision, or None. Only the path is read (a host or
    query holds no date), and a run of eight digits counts only when it makes a valid day."""
    import urllib.parse

    path = urllib.parse.urlsplit(url).path
    if m := _URL_DAY_RE.search(path):
        return _make_date(m["y"], m["m"], m["d"])
    if m := _URL_MONTH_RE.search(path):
        return _make_date(m["y"], m["m"], None)
    return None


_FRONT_ALIASES = {
    "link": "url",
    "canonical": "url",
    "headline": "title",
    "source": "outlet",
    "publisher": "outlet",
}


def _text_meta(head: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    lines = head.lstrip("\ufeff").splitlines()
    block = lines[1:40] if lines and lines[0].strip() == "---" else lines[:8]
    for line in block:
        if line.strip() == "---":
            break
        if m := _FRONT_KEY.match(line.strip()):
            key = _FRONT_ALIASES.get(m[1].lower(), m[1].lower())
            meta.setdefault(key, m[2].strip().strip("\"'"))
    return meta


def _sidecar_meta(path: Path) -> dict[str, str]:
    import json

    meta: dict[str, str] = {}
    for sidecar in (path.with_name(path.name + ".json"), path.with_suffix(".json")):
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict):
            break
        for key, names in (
            ("url", ("url", "link")),
            ("title", ("title", "headline")),
            ("outlet", ("outlet", "source", "publisher")),
        ):
            found = [data[n].strip() for n in names if isinstance(data.get(n), str) and data[n].strip()]
            if found:
                meta[key] = found[0]
        break
    return meta


def article_meta(path: str | os.PathLike[str]) -> dict[str, str]:
    """An article's ``url``, ``title`` (headline) and ``outlet``, where it says them: in HTML the
    canonical link, ``og:url``/``og:title``/``og:site_name`` and ``<title>``; in text the front
    matter's (or first lines') ``url:``, ``title:``, ``source:``; a sidecar ``NAME.json`` (beside
    the file, as ``article.html.json`` or ``article.json``) overrides both. Missing keys are left
    out; an unreadable file gives ``{}``. Only for display: nothing here changes the incidents."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = decode_bytes(fh.read(_META_BYTES))
    except (OSError, ValueError):
        head = ""
    meta = _meta_of(path, head)
    meta.pop("published", None)
    return meta


def _meta_of(path: Path, head: str) -> dict[str, str]:
    """The ``url``, ``title``, ``outlet`` (and, for a page, the ``published`` time its metadata
    states) of the article file ``path`` whose text begins with ``head``."""
    meta = _html_meta(head) if path.suffix.lower() in HTML_SUFFIXES else _text_meta(head)
    meta.update(_sidecar_meta(path))
    if meta.get("title"):
        meta["title"] = meta["title"][:300]
    return meta
