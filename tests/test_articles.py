"""Reading articles: formats, encodings, publication dates, page noise, pieces, folders, errors."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from geomap._errors import InputError
from geomap.articles import (
    article_from_text,
    article_paths,
    decode_bytes,
    iter_articles,
    read_article,
)
from geomap.settings import SEEDS_DIR

DATA = Path(__file__).parent / "data" / "articles"


def seed(prefix: str) -> Path:
    return next(SEEDS_DIR.glob(f"{prefix}_*.txt"))


# -- formats and encodings ------------------------------------------------------------------


def test_plain_utf8_text_is_read_as_is():
    art = read_article(DATA / "plain.txt")
    assert art.text == (DATA / "plain.txt").read_text(encoding="utf-8")
    assert art.name == "plain.txt"


def test_utf8_bom_is_dropped():
    assert read_article(DATA / "bom.txt").text == read_article(DATA / "plain.txt").text


def test_cp1252_smart_quotes_fall_back_to_cp1252():
    text = read_article(DATA / "cp1252.txt").text
    assert "\u201cvery concerning\u201d" in text and "\u2013" in text


@pytest.mark.parametrize("name", ["utf16_bom.txt", "utf16_nobom.txt"])
def test_utf16_with_and_without_bom(name):
    assert read_article(DATA / name).text.strip() == "Talks in Istanbul collapsed on Wednesday."


def test_undecodable_bytes_never_crash():
    # 0x81 is undefined in cp1252 as well: replacement characters, no exception.
    assert "\ufffd" in decode_bytes(b"Kabul \x81\xff\xfe is here")


@pytest.mark.parametrize("name,kind", [("fake_pdf.txt", "PDF"), ("binary.txt", "binary")])
def test_binary_files_are_refused_with_their_name(name, kind):
    with pytest.raises(InputError) as err:
        read_article(DATA / name)
    assert name in str(err.value) and kind in str(err.value)


def test_empty_and_whitespace_articles_read_as_empty():
    assert read_article(DATA / "empty.txt").text == ""
    assert read_article(DATA / "whitespace.txt").text.strip() == ""


def test_html_loses_tags_scripts_styles_and_chrome_and_keeps_its_date():
    art = read_article(DATA / "page.html")
    assert "exchanged heavy fire near the Torkham crossing" in art.text
    assert "window.__xss" not in art.text and "color:red" not in art.text
    assert "<" not in art.text
    assert "& its causes" in art.text  # entities decoded
    assert art.published == date(2025, 10, 12)


_LD = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-10-12"}</script>'


@pytest.fixture
def small_large_html(monkeypatch):
    """Pages over 3,000 characters count as large (the real limit is 2 MB)."""
    from geomap import articles

    monkeypatch.setattr(articles, "LARGE_HTML", 3_000)
    return articles


def test_a_large_page_of_tags_is_read_as_plain_blocks(small_large_html, monkeypatch):
    import trafilatura

    def refuse(*_a, **_k):
        raise AssertionError("trafilatura read a page over the limit")

    monkeypatch.setattr(trafilatura, "bare_extraction", refuse)
    blocks = "".join(f'<div><span>Reports from <a href="/{i}">Chaman</a></span></div>' for i in range(100))
    html = f"<html><head>{_LD}</head><body><script>var x = 1;</script>{blocks}</body></html>"
    text, found = small_large_html.html_to_text(html)
    assert text.splitlines()[0] == "Reports from Chaman" and len(text.split("Reports from Chaman")) == 101
    assert "var x" not in text
    assert found == (date(2025, 10, 12), "day")  # the date in the markup's JSON-LD


def test_a_large_page_heavy_with_scripts_still_gets_trafilatura(small_large_html):
    body = "<p>Afghan and Pakistani forces exchanged heavy fire near the Torkham crossing on Sunday.</p>"
    script = f"<script>{'var x = 1; ' * 500}</script>"
    html = f"<html><head>{_LD}{script}</head><body><article>{body}</article></body></html>"
    assert len(html) > 3_000
    text, found = small_large_html.html_to_text(html)
    assert "exchanged heavy fire near the Torkham crossing" in text and "var x" not in text
    assert found == (date(2025, 10, 12), "day")


def test_markdown_front_matter_date():
    art = read_article(DATA / "front_matter.md")
    assert (art.published, art.published_precision, art.published_source) == (
        date(2025, 11, 6),
        "day",
        "header",
    )


def test_date_header_line_with_a_written_date():
    assert read_article(DATA / "date_header.txt").published == date(2025, 10, 28)


def test_other_file_kinds_named_directly_are_errors():
    with pytest.raises(InputError, match="not an article file"):
        read_article(DATA / "notes.csv")


# -- publication dates of the seeds ---------------------------------------------------------


def test_seed_002_date_line():
    art = read_article(seed("002"))
    assert (art.published, art.published_precision, art.published_source) == (
        date(2025, 10, 28),
        "day",
        "header",
    )


def test_seed_004_dateline_with_time_and_zone():
    art = read_article(seed("004"))
    assert (art.published, art.published_precision, art.published_source) == (
        date(2025, 10, 30),
        "day",
        "dateline",
    )


def test_seed_000_month_only_dateline():
    art = read_article(seed("000"))
    assert (art.published, art.published_precision) == (date(2025, 10, 1), "month")


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_seeds_without_header_have_no_date(prefix):
    art = read_article(seed(prefix))
    assert art.published is None and art.published_precision is None


def test_published_option_wins():
    art = read_article(seed("004"), published=date(2025, 11, 1))
    assert (art.published, art.published_source) == (date(2025, 11, 1), "option")
    assert all(p.published == date(2025, 11, 1) for p in art.pieces)


# -- page noise and pieces ------------------------------------------------------------------


def test_seed_004_menu_words_and_footer_are_blanked():
    art = read_article(seed("004"))
    assert len(art.clean) == len(art.text)
    for noise in ("newsletters Newsletters", "X Instagram Youtube", "BigPhoto", "More From Türkiye Today"):
        assert noise in art.text and noise not in art.clean
    assert "\nPhoto\n" not in art.clean


def test_seed_004_repeated_captions_keep_one():
    art = read_article(seed("004"))
    caption = "A Taliban security personnel uses a wireless device"
    assert art.text.count(caption) == 2
    assert art.clean.count(caption) == 1


def test_seed_000_appended_cricket_story_is_a_separate_piece():
    art = read_article(seed("000"))
    assert len(art.pieces) == 2
    first, second = art.pieces
    assert "Mumbai" in art.text[second.start : second.end]
    assert "Rutherford" in art.text[second.start : second.end]
    assert "Mumbai" not in art.text[first.start : first.end]
    assert (second.published, second.published_precision) == (date(2026, 2, 1), "month")
    assert (first.published, first.published_precision) == (date(2025, 10, 1), "month")


def test_single_story_is_one_piece():
    art = article_from_text("x.txt", "Peshawar, Nov 3, 2025: Shelling hit a village. Two died.")
    assert len(art.pieces) == 1 and art.published == date(2025, 11, 3)


# -- folders ------------------------------------------------------------------------------


def test_folders_are_read_recursively_in_order_and_other_files_noted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("Kabul.", encoding="utf-8")
    (tmp_path / "b" / "c.md").write_text("Doha.", encoding="utf-8")
    (tmp_path / "b" / "d.html").write_text("<p>Istanbul.</p>", encoding="utf-8")
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG")
    notes = []
    names = [p.name for p in article_paths([tmp_path], on_skip=lambda p, m: notes.append((p.name, m)))]
    assert names == ["a.txt", "c.md", "d.html"]
    assert notes and notes[0][0] == "image.png"


def test_bad_article_in_folder_is_skipped_unless_strict(tmp_path):
    (tmp_path / "good.txt").write_text("Talks in Doha.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"%PDF-1.7 junk")
    notes = []
    arts = list(iter_articles([tmp_path], on_skip=lambda p, m: notes.append(str(p))))
    assert [a.name for a in arts] == ["good.txt"]
    assert any("bad.txt" in n for n in notes)
    with pytest.raises(InputError, match="bad.txt"):
        list(iter_articles([tmp_path], strict=True))


def test_symlink_loop_is_not_followed_forever(tmp_path):
    (tmp_path / "a.txt").write_text("Kabul.", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "loop")
    names = [p.name for p in article_paths([tmp_path], on_skip=lambda *_: None)]
    assert names == ["a.txt"]


def test_missing_path_and_empty_folder_are_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(article_paths([tmp_path / "nope"]))
    with pytest.raises(InputError, match="no articles"):
        list(article_paths([tmp_path]))


def test_size_limit_is_a_clear_error(tmp_path, monkeypatch):
    from geomap import settings

    big = tmp_path / "big.txt"
    big.write_text("Kabul " * 1000, encoding="utf-8")
    monkeypatch.setattr(settings, "MAX_ARTICLE_BYTES", 100)
    with pytest.raises(InputError, match="limit"):
        read_article(big)


@pytest.mark.parametrize(
    "byline,expected",
    [
        ("Published October 12, 2025", date(2025, 10, 12)),
        ("Published On 12 Oct 2025", date(2025, 10, 12)),
        ("Posted: 2025-10-12 09:14 PKT", date(2025, 10, 12)),
        ("Last updated: Sun, 12 October 2025", date(2025, 10, 12)),
        ("Published 12th October, 2025 Updated about 5 hours ago", date(2025, 10, 12)),
        # agency and section words first, a time before the date, numbers for the date
        ("TNN | Updated: May 8, 2025, 22:15 IST", date(2025, 5, 8)),
        ("Updated 2:48 PM GMT+5, December 25, 2024", date(2024, 12, 25)),
        ("Goma (DR Congo) (AFP) - Published: 28/01/2025 - 18:40", date(2025, 1, 28)),
        # a roundup's period, then its date
        ("Weekly roundup for 6–12 July 2026, published Monday 13 July 2026", date(2026, 7, 13)),
        ("Issue 112 | Week of 3-9 March 2025 | Published 10 March 2025", date(2025, 3, 10)),
        # a situation report's and a press release's labels
        ("Date: 17 June 2025", date(2025, 6, 17)),
        ("Dated: September 7, 2025", date(2025, 9, 7)),
        # an agency's line: the date between pipes, with seconds; day and month with dashes
        ("Source: Xinhua | 2025-01-05 20:14:36 | Editor: huaxia", date(2025, 1, 5)),
        ("Rudaw | 24-06-2025 | 3:41 PM", date(2025, 6, 24)),
    ],
)
def test_a_labelled_byline_date_is_the_publication_date(byline, expected):
    art = article_from_text(
        "a.txt", f"Border crossing shut\nBy Staff Reporter\n{byline}\n\nTrucks queued at Torkham."
    )
    assert (art.published, art.published_precision) == (expected, "day")


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Asia | Jun 1st 2023 | ZABOL", date(2023, 6, 1)),  # a magazine's section | date | place
        ("Friday 4 October 2024", date(2024, 10, 4)),  # a live blog's day heading
        ("News · 12 March 2024 · 3 min read", date(2024, 3, 12)),
        ("4 October 2024 10:42 GMT", date(2024, 10, 4)),
        ("22:15, 14 September 2022", date(2022, 9, 14)),  # time first
        ("May 7, 2025 4:41 PM GMT+5:30 Updated", date(2025, 5, 7)),
        ("28/03/2024", date(2024, 3, 28)),  # numbers, day first where it cannot be a month
        ("Tuesday 28.11.2023", date(2023, 11, 28)),
        ("NEW DELHI, December 13, 2022", date(2022, 12, 13)),  # a dateline alone on its line
        ("Flash Update No. 01 (as of 22 August 2024)", date(2024, 8, 22)),  # a situation report
        ("THU 20 AUG 2015 — ALL TIMES KST", date(2015, 8, 20)),  # a ticker log's heading
    ],
)
def test_a_header_line_of_segments_with_a_date_is_the_publication_date(line, expected):
    art = article_from_text("a.txt", f"Guns go off on the border\n\n{line}\n\nGuards traded fire.")
    assert (art.published, art.published_precision) == (expected, "day")


@pytest.mark.parametrize(
    "line",
    [
        "We met on June 1, 2023 | and then a long clause that runs well past any header segment",
        "Talks began on 4 October 2024 in Doha.",
        "03/04/2024",  # 3 April or March 4
    ],
)
def test_prose_lines_with_a_date_are_no_header(line):
    assert article_from_text("a.txt", f"Talks\n\n{line}\n\nText.").published is None


def test_published_label_wins_over_updated_and_prose_dates_do_not_count():
    art = article_from_text(
        "a.txt", "Talks end\nUpdated: 2025-10-14 10:00\nPublished: 2025-10-12 09:14\n\nText."
    )
    assert art.published == date(2025, 10, 12)
    art = article_from_text(
        "a.txt", "Talks end\n\nThe ministry published October 12, 2025 figures on returns."
    )
    assert art.published is None
    art = article_from_text("a.txt", "KABUL, Oct 15 (Reuters) - Talks ended without a deal.")
    assert art.published is None  # no year: the contract does not guess it


def test_reading_without_dates_keeps_the_text_and_skips_the_dates():
    path = next(SEEDS_DIR.glob("002_*.txt"))
    full = read_article(path)
    bare = read_article(path, dates=False)
    assert full.published is not None  # 002 states its date
    assert bare.published is None and bare.text == full.text and bare.clean == full.clean
    assert [(p.start, p.end) for p in bare.pieces] == [(0, len(bare.text))]
    dated = read_article(path, date(2025, 10, 28), dates=False)
    assert dated.published == date(2025, 10, 28) and dated.pieces[0].published == date(2025, 10, 28)


@pytest.mark.parametrize(
    "dateline,expected",
    [
        ("Khartoum, 28-6-2022 (SNNS) - The army shelled positions.", date(2022, 6, 28)),
        ("Khartoum, 6/28/2022 (SNNS) - The army shelled positions.", date(2022, 6, 28)),
        ("Khartoum, 5-6-2022 (SNNS) - The army shelled positions.", None),  # 5 June or May 6
        # the date first, the place in brackets
        ("December 17, 2020 (KHARTOUM) – The army shelled positions.", date(2020, 12, 17)),
        # the year after a slash ("Addis Abeba, November 18/2025 –")
        ("Addis Abeba, November 18/2025 – The army shelled positions.", date(2025, 11, 18)),
    ],
)
def test_a_numeric_dateline_is_read_only_when_unambiguous(dateline, expected):
    assert article_from_text("a.txt", f"Army shells positions\n\n{dateline}").published == expected


_PAGE = """<html><head><title>Border shut | Example News</title>{head}</head>
<body><article><h1>Border shut</h1><p>Pakistani and Afghan forces exchanged fire near the Torkham
crossing on Sunday, officials said, and the crossing was closed to all traffic.</p>
<p>Traders said hundreds of trucks were stranded on both sides of the border.</p></article></body></html>"""


@pytest.mark.parametrize(
    ("head", "expected", "source"),
    [
        (
            '<meta property="article:published_time" content="2025-10-12T09:14:00+05:00">',
            date(2025, 10, 12),
            "html",
        ),
        (
            '<script type="application/ld+json">{"datePublished": "2025-10-13"}</script>',
            date(2025, 10, 13),
            "html",
        ),
        (
            '<link rel="canonical" href="https://example.org/news/2025/10/14/border-shut">',
            date(2025, 10, 14),
            "url",
        ),
    ],
)
def test_a_pages_metadata_or_address_dates_it(tmp_path, head, expected, source):
    page = tmp_path / "page.html"
    page.write_text(_PAGE.format(head=head), encoding="utf-8")
    art = read_article(page)
    assert (art.published, art.published_source) == (expected, source)


def test_a_dateline_in_the_text_comes_before_the_pages_metadata(tmp_path):
    page = tmp_path / "page.html"
    head = '<meta property="article:published_time" content="2025-10-01T00:00:00Z">'
    page.write_text(
        _PAGE.format(head=head).replace("<p>Pakistani", "<p>Published October 12, 2025</p><p>Pakistani"),
        encoding="utf-8",
    )
    assert read_article(page).published == date(2025, 10, 12)


def test_a_text_articles_address_from_front_matter_or_a_sidecar_dates_it_and_names_it(tmp_path):
    text = tmp_path / "clash.txt"
    text.write_text(
        "---\nurl: https://example.org/world/clash-at-torkham-2025-10-12/\ntitle: Clash at Torkham\n"
        "source: Example News\n---\n\nForces exchanged fire near the Torkham crossing on Sunday.\n",
        encoding="utf-8",
    )
    art = read_article(text)
    assert (art.published, art.published_source) == (date(2025, 10, 12), "url")
    assert art.meta == {
        "url": "https://example.org/world/clash-at-torkham-2025-10-12/",
        "title": "Clash at Torkham",
        "outlet": "Example News",
    }
    # a sidecar beside the file names it too (and wins)
    other = tmp_path / "other.txt"
    other.write_text("Forces exchanged fire near the Torkham crossing on Sunday.\n", encoding="utf-8")
    (tmp_path / "other.json").write_text(
        '{"url": "https://example.org/2025/10/13/other", "title": "Other", "outlet": "Wire"}',
        encoding="utf-8",
    )
    art = read_article(other)
    assert art.published == date(2025, 10, 13) and art.meta["outlet"] == "Wire"


@pytest.mark.parametrize(
    ("byline", "year"),
    [
        ("Published 11/02/2026, 13:40", 2026),
        ("Published 25/02/2026, 13:40", None),
        ("Published 05.01.26, 06:12 AM", 2026),
        ("Hello", None),
    ],
)
def test_the_year_of_a_byline_whose_day_and_month_cannot_be_told_apart(byline, year):
    from geomap.articles import byline_year

    assert byline_year(f"Headline\n\n{byline}\n\nBody.") == year


@pytest.mark.parametrize(
    ("byline", "published"),
    [
        ("Published 21.01.26, 06:12 AM", date(2026, 1, 21)),  # an Indian daily's byline
        ("Updated: 12/23/25 10:00", date(2025, 12, 23)),
        ("Published 05.01.26", None),  # 5 January or 1 May
        ("Version 1.2.26 released", None),  # no label, no date
    ],
)
def test_a_labelled_byline_may_write_its_year_in_two_digits(byline, published):
    art = article_from_text("t.txt", f"Headline\n\n{byline}\n\nForces exchanged fire near Chaman.")
    assert art.published == published


def test_the_two_readings_of_an_ambiguous_numeric_byline():
    from geomap.articles import byline_readings

    assert byline_readings("Title\n\nPublished: 08/07/2024\n\nText.") == (date(2024, 7, 8), date(2024, 8, 7))
    assert byline_readings("Title\n\nPublished: 28/07/2024\n\nText.") is None  # not ambiguous
