"""HTML and PDF loaders: real files, hand-checked structure."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.chunk import chunk_document
from ingest.loaders import LoadError, loader_for, supported_suffixes
from ingest.loaders import html as html_loader
from ingest.loaders import pdf as pdf_loader

DATA = Path(__file__).resolve().parent / "data" / "ingest"
REAL_PDF = DATA / "ml-interviews" / "MLSD-ml-system-design.pdf"

PAGE = """<!doctype html><html><head><title>Careers | Site</title><style>p{color:red}</style>
<script>track("salary 999,999")</script></head><body>
<header class="site-header"><a href="/">Logo</a><p>Site tagline</p></header>
<nav><ul><li>Home</li><li>Jobs</li></ul></nav>
<div class="cookie-banner">We use cookies</div>
<main>
  <h1>ML Engineer Careers</h1>
  <p>An ML engineer builds <a href="#">production</a> models.</p>
  <h2>Salary Expectations</h2>
  <h3>Entry Level</h3>
  <ul><li>Base: $100,000 - $140,000</li><li>Equity: <b>some</b>
      <ul><li>Nested item</li></ul></li></ul>
  <h3>Senior</h3>
  <table><tr><th>Level</th><th>Base</th></tr><tr><td>Staff</td><td>$250,000</td></tr></table>
  <aside>Related posts</aside>
  <div class="share-buttons">Share on X</div>
  <h2>Tools</h2>
  <pre>pip install mlflow</pre>
</main>
<footer><p>Copyright 2026 Example Inc</p></footer>
</body></html>"""


def test_registry_knows_every_format():
    assert {".txt", ".md", ".html", ".htm", ".pdf"} <= supported_suffixes()
    assert loader_for(".HTM") is html_loader and loader_for(".pdf") is pdf_loader


def test_html_main_content_sections_and_items():
    p = html_loader.load(PAGE.encode(), "page.html")
    got = [(" > ".join(b.section), b.text, b.kind) for b in p.blocks]
    assert p.title == "ML Engineer Careers"
    assert got == [
        ("", "An ML engineer builds production models.", "para"),
        ("Salary Expectations > Entry Level", "Base: $100,000 - $140,000", "item"),
        ("Salary Expectations > Entry Level", "Equity: some", "item"),
        ("Salary Expectations > Entry Level", "Nested item", "item"),
        ("Salary Expectations > Senior", "Level | Base", "item"),
        ("Salary Expectations > Senior", "Staff | $250,000", "item"),
        ("Tools", "pip install mlflow", "code"),
    ]
    text = " ".join(b.text for b in p.blocks)
    for junk in ("999,999", "Logo", "tagline", "Home", "cookies", "Related", "Share", "Copyright"):
        assert junk not in text


def test_html_without_main_uses_body_and_title_tag():
    page = b"<html><head><title>Plain Page</title></head><body><nav>Menu</nav><p>Only text here.</p></body></html>"
    p = html_loader.load(page, "x.html")
    assert p.title == "Plain Page" and [b.text for b in p.blocks] == ["Only text here."]


def test_html_declared_charset_and_errors():
    p = html_loader.load('<meta charset="windows-1252"><p>Caf\xe9 pay</p>'.encode("cp1252"), "x.htm")
    assert p.blocks[0].text == "Café pay"
    p = html_loader.load("<p>Caf\xe9</p>".encode("latin-1"), "x.html")  # no charset declared: detected
    assert p.blocks[0].text == "Café" and p.meta["encoding"] == "cp1252"
    with pytest.raises(LoadError, match="no article text"):
        html_loader.load(b"<html><body><nav>Home</nav><script>x()</script></body></html>", "x.html")


def test_real_pdf_sections_and_pages():
    p = pdf_loader.load(REAL_PDF.read_bytes(), REAL_PDF.name)
    assert p.title == "Machine Learning System Design"
    sections = {" > ".join(b.section) for b in p.blocks}
    assert "1. ML System Design Flow > 2. Metrics (Offline and Online)" in sections
    assert "3. ML System Design Topics > Recommendation Systems" in sections
    text = " ".join(b.text for b in p.blocks)
    assert "3/15/2023" not in text and "1 / 11" not in text  # running header and page numbers dropped
    chunks = chunk_document("mlsd", p.title, list(p.blocks))
    assert all(c.pages for c in chunks)
    assert {pg for c in chunks for pg in c.pages} == set(range(1, 12))
    metrics = [c for c in chunks if c.section.endswith("2. Metrics (Offline and Online)")]
    assert metrics and metrics[0].pages == (3,) and "nDCG" in metrics[0].text


def test_encrypted_pdf_is_a_clear_error():
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter()
    for page in PdfReader(REAL_PDF).pages[:1]:
        w.add_page(page)
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(LoadError, match="encrypted with a password"):
        pdf_loader.load(buf.getvalue(), "locked.pdf")


def test_broken_empty_and_fake_pdfs_are_clear_errors():
    data = REAL_PDF.read_bytes()
    with pytest.raises(LoadError, match="damaged or unreadable"):
        pdf_loader.load(data[:3000], "cut.pdf")
    with pytest.raises(LoadError, match="file is empty"):
        pdf_loader.load(b"", "empty.pdf")
    with pytest.raises(LoadError, match="not a PDF file"):
        pdf_loader.load(b"hello, I am text", "fake.pdf")
