"""Hostile files for ingest, made from a seed: the same seed writes the same bytes.

`write_hostile(folder, seed)` fills a folder with a few hundred files of every
format that loaders have choked on or could (deep nesting, odd encodings,
huge lines, binary, damaged PDFs, ...) beside good articles, and returns what
each file must come to: "ingest" (its text must reach the store), "fail" (a
one-line reason in `failed`) or "either" (one or the other, never a crash).
Links leading out of the folder are listed as "skip" (noted, not read).
"""

from __future__ import annotations

import io
import os
import random
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

WORDS = (
    "career engineer salary interview portfolio python statistics model deployment skills project mentor "
    "resume offer negotiation team manager data pipeline learning research product startup remote junior "
    "senior level growth course degree practice feedback review metrics system design coding"
).split()
ACCENTED = "Café Résumé naïve façade élève Zürich São Paulo Ærø"


@dataclass
class Manifest:
    expect: dict[str, str] = field(default_factory=dict)  # path relative to the folder -> ingest|fail|either|skip
    max_file_bytes: int = 400_000
    words: dict[str, str] = field(default_factory=dict)  # path -> a word its stored text must contain

    def add(self, folder: Path, rel: str, data: bytes, expect: str, word: str = "") -> None:
        stem = Path(rel).with_suffix("").as_posix()
        assert all(Path(r).with_suffix("").as_posix() != stem for r in self.expect), f"doc_id {stem} taken twice"
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.expect[rel] = expect
        if word:
            self.words[rel] = word


def sentence(r: random.Random, n: int = 12) -> str:
    words = [r.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def article(r: random.Random, title: str, sections: int = 3, marker: str = "") -> str:
    parts = [f"# {title}", ""]
    for s in range(sections):
        parts += [f"## {r.choice(WORDS).capitalize()} {s}", "", " ".join(sentence(r) for _ in range(3)), ""]
        parts += [f"- {sentence(r, 6)}" for _ in range(2)] + [""]
    if marker:
        parts += [f"The {marker} note closes this article about careers.", ""]
    return "\n".join(parts)


def html_page(r: random.Random, title: str, marker: str = "") -> str:
    body = "".join(f"<h2>Part {i}</h2><p>{sentence(r)} {sentence(r)}</p><ul><li>{sentence(r, 5)}</li></ul>"
                   for i in range(3))
    return (f"<!doctype html><html><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}"
            f"<p>The {marker} note closes this page.</p></main></body></html>")


def minimal_pdf(content: bytes, compress: bool = False) -> bytes:
    """A one-page PDF whose content stream is `content` (xref offsets computed)."""
    stream = zlib.compress(content, 9) if compress else content
    filt = b"/Filter /FlateDecode " if compress else b""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< " + filt + b"/Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_text(lines: list[str]) -> bytes:
    ops = [b"BT /F1 11 Tf 72 720 Td 14 TL"]
    ops += [b"(" + ln.encode("latin-1") + b") Tj T*" for ln in lines]
    return b"\n".join(ops + [b"ET"])


def _good(folder: Path, m: Manifest, r: random.Random, n: int) -> None:
    for i in range(n):
        marker = f"goodmarker{i}"
        kind = i % 3
        if kind == 0:
            m.add(folder, f"good/article-{i:02d}.md", article(r, f"Good Article {i}", 2, marker).encode(), "ingest",
                  marker)
        elif kind == 1:
            m.add(folder, f"good/notes-{i:02d}.txt", article(r, f"Good Notes {i}", 2, marker).encode(), "ingest",
                  marker)
        else:
            m.add(folder, f"good/page-{i:02d}.html", html_page(r, f"Good Page {i}", marker).encode(), "ingest", marker)
    text_pdf = minimal_pdf(pdf_text(["Good PDF Guide", "", "The goodpdfmarker note is about careers in data."]))
    m.add(folder, "good/guide.pdf", text_pdf, "ingest", "goodpdfmarker")


def _html(folder: Path, m: Manifest, r: random.Random) -> None:
    deep = "<html><body>" + "<div>" * 20_000 + "<p>The deepmarker text at the bottom.</p>" + "</div>" * 20_000
    m.add(folder, "html/deep-divs.html", deep.encode(), "ingest", "deepmarker")
    m.add(folder, "html/deep-unclosed.html", ("<div><span>" * 10_000 + "unclosedmarker words").encode(), "ingest",
          "unclosedmarker")
    m.add(folder, "html/deep-lists.html", ("<ul><li>level " * 3000 + "listmarker").encode(), "ingest", "listmarker")
    m.add(folder, "html/deep-inline.html", ("<b>" * 5000 + "<p>inlinemarker</p>" + "</b>" * 5000).encode(), "ingest",
          "inlinemarker")
    m.add(folder, "html/deep-tables.html", ("<table><tr><td>" * 2000 + "tablemarker").encode(), "either")
    m.add(folder, "html/entities.html", ("<p>" + "&amp;&lt;&#x1F600;&eacute;" * 1_500 + "</p>").encode(), "either")
    m.add(folder, "html/bad-entities.html", ("<p>" + "&nosuch;&#99999999;&#xD800;&" * 500 + "</p>").encode(),
          "either")
    m.add(folder, "html/script-only.html", b"<html><head><script>" + b"var x = 1;" * 5000 + b"</script></head></html>",
          "fail")
    m.add(folder, "html/style-only.htm", b"<style>" + b"p{color:red}" * 2000 + b"</style>", "fail")
    m.add(folder, "html/latin1.html", f"<html><body><p>{ACCENTED} htmllatinmarker.</p></body></html>".encode("latin-1",
          "replace"), "ingest", "htmllatinmarker")
    m.add(folder, "html/declared.html", f'<meta charset="windows-1252"><p>{ACCENTED} declaredmarker</p>'.encode(
          "cp1252", "replace"), "ingest", "declaredmarker")
    m.add(folder, "html/wrong-declared.html", f'<meta charset="utf-8"><p>{ACCENTED} wrongmarker</p>'.encode(
          "cp1252", "replace"), "ingest", "wrongmarker")
    m.add(folder, "html/bogus-charset.html", b'<meta charset="no-such-codec"><p>bogusmarker \xe9t\xe9</p>', "ingest",
          "bogusmarker")
    m.add(folder, "html/utf16.html", html_page(r, "UTF-16 Page", "htmlutfmarker").encode("utf-16"), "ingest",
          "htmlutfmarker")
    m.add(folder, "html/unclosed-comment.html", b"<p>before</p><!-- never closed " + b"x" * 5000, "either")
    m.add(folder, "html/cdata.html", b"<![CDATA[" * 400 + b"<p>text</p>", "either")


def _encodings(folder: Path, m: Manifest, r: random.Random) -> None:
    body = article(r, "Encoded Article", sections=1)
    for name, codec, bom in (
        ("utf16le-bom", "utf-16-le", b"\xff\xfe"),
        ("utf16be-bom", "utf-16-be", b"\xfe\xff"),
        ("utf16le", "utf-16-le", b""),
        ("utf16be", "utf-16-be", b""),
        ("utf32le-bom", "utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf32be-bom", "utf-32-be", b"\x00\x00\xfe\xff"),
        ("utf32le", "utf-32-le", b""),
        ("utf32be", "utf-32-be", b""),
        ("utf8-bom", "utf-8", b"\xef\xbb\xbf"),
    ):
        word = f"enc{name.replace('-', '')}marker"
        text = body + f"\n{ACCENTED}: the {word} note.\n"
        for suffix in (".md", ".txt"):
            m.add(folder, f"enc/{name}-{suffix[1:]}{suffix}", bom + text.encode(codec), "ingest", word)
    for i, codec in enumerate(("latin-1", "cp1252", "iso8859-15")):
        word = f"latinmarker{i}"
        text = f"# {ACCENTED.split()[1]} Tips\n\n{ACCENTED}. {sentence(r)} The {word} note.\n"
        m.add(folder, f"enc/western-{i}.md", text.encode(codec, "replace"), "ingest", word)
        m.add(folder, f"enc/western-{i}-txt.txt", text.encode(codec, "replace"), "ingest", word)
    m.add(folder, "enc/cafe-short.md", "Caf\xe9 r\xe9sum\xe9 cafemarker".encode("cp1252"), "ingest", "cafemarker")
    m.add(folder, "enc/crlf.md", (body + "\ncrlfmarker note.\n").replace("\n", "\r\n").encode(), "ingest", "crlfmarker")
    m.add(folder, "enc/cr-only.txt", (body + "\ncrmarker note.\n").replace("\n", "\r").encode(), "ingest", "crmarker")
    full = (body + f"\n{ACCENTED} truncmarker €").encode()
    m.add(folder, "enc/truncated.md", full[:-1], "ingest", "truncmarker")
    m.add(folder, "enc/truncated-mid.txt", full[: len(full) // 2] + "é".encode()[:1] + full[len(full) // 2 :], "ingest")
    mixed = (body + "\nmixedmarker: Café résumé ").encode() + "naïve façade élève".encode("cp1252")
    m.add(folder, "enc/mixed.md", mixed, "ingest", "mixedmarker")
    m.add(folder, "enc/cyrillic.txt", ("Машинное обучение и карьера инженера данных. " * 20).encode("cp1251"), "ingest")
    m.add(folder, "enc/nul-in-utf8.txt", (body + "\x00nulmarker\x00 note.\n").encode(), "ingest", "nulmarker")


def _shapes(folder: Path, m: Manifest, r: random.Random) -> None:
    line = " ".join(r.choice(WORDS) for _ in range(1_000)) + " onelinemarker"
    m.add(folder, "shape/one-line-words.txt", line.encode(), "ingest", "onelinemarker")
    m.add(folder, "shape/one-line-words-md.md", ("# One Line\n\n" + line.replace("onelinemarker", "mdlinemarker")).encode(),
          "ingest", "mdlinemarker")
    m.add(folder, "shape/one-line-nospace.txt", ("x" * 8_000 + "nospacemarker").encode(), "either")
    m.add(folder, "shape/one-line-note.txt", b"Ask your mentor about the onenotemarker salary band.", "ingest",
          "onenotemarker")
    m.add(folder, "shape/one-line-note-md.md", b"Ask your mentor about the mdnotemarker salary band.", "ingest",
          "mdnotemarker")
    table = "# Table\n\n| Role | Pay | Notes |\n|---|---|---|\n" + "".join(
        f"| role {i} | {50_000 + i} | {r.choice(WORDS)} |\n" for i in range(150))
    m.add(folder, "shape/huge-table.md", table.encode(), "either")
    m.add(folder, "shape/wide-table.md", ("| " + " | ".join(f"c{i}" for i in range(3000)) + " |\n|" + "---|" * 3000
                                          + "\n").encode(), "either")
    heads = "# Many Headings\n\n" + "".join(f"{'#' * (2 + i % 5)} Heading {i}\n\n" for i in range(1500))
    m.add(folder, "shape/headings.md", (heads + "The headingsmarker text.\n").encode(), "either")
    m.add(folder, "shape/deep-quotes.md", (">" * 5000 + " quote text\n").encode(), "either")
    m.add(folder, "shape/deep-list.md", "".join("  " * i + "- item\n" for i in range(600)).encode(), "either")
    m.add(folder, "shape/fences.md", b"```\n" * 3000 + b"code\n", "either")
    for i, fm in enumerate((b"---\n: : [unclosed\n\t- {\n---\n", b"---\nkey: [1, 2\n", b"---\n---\n",
                            b"+++\ntitle = 'toml'\n+++\n", b"---\n" + b"a: &x [*x]\n" + b"---\n")):
        word = f"frontmarker{i}"
        m.add(folder, f"shape/front-{i}.md", fm + f"# Front {i}\n\n{sentence(r)} The {word} note.\n".encode(), "either")
    for suffix in (".md", ".txt", ".html", ".pdf"):
        m.add(folder, f"shape/empty-{suffix[1:]}{suffix}", b"", "fail")
    m.add(folder, "shape/spaces.md", b" \n\t\n   \r\n", "fail")
    m.add(folder, "shape/spaces-utf16.txt", " \n \n".encode("utf-16"), "fail")
    m.add(folder, "shape/over-limit.md", b"# Big\n\n" + b"word " * (m.max_file_bytes // 5 + 10), "fail")
    m.add(folder, "names/career tips \U0001f680.md", article(r, "Emoji Name", marker="emojimarker").encode(), "ingest",
          "emojimarker")
    m.add(folder, "names/na\u00efve r\u00e9sum\u00e9 notes.txt", article(r, "Accents", marker="accmarker").encode(),
          "ingest", "accmarker")
    m.add(folder, os.fsdecode(b"names/not-utf8-\xff-name.md"), b"# Odd Name\n\nA name that is not UTF-8.\n", "fail")
    m.add(folder, "names/x.md/inside.md", article(r, "Inside A Folder Named x.md", marker="insidemarker").encode(),
          "ingest", "insidemarker")


def _binary(folder: Path, m: Manifest, r: random.Random) -> None:
    for i in range(12):
        data = bytes(r.randrange(256) for _ in range(r.choice((64, 700, 5000))))
        m.add(folder, f"bin/random-{i:02d}{('.md', '.txt', '.html', '.pdf')[i % 4]}", data, "fail")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(r.randrange(256) for _ in range(2000))
    m.add(folder, "bin/image.md", png, "fail")
    m.add(folder, "bin/nuls.txt", b"\x00" * 4096, "fail")
    m.add(folder, "bin/ff00.txt", b"\x00\xff" * 100, "fail")
    m.add(folder, "bin/elf.txt", b"\x7fELF\x02\x01\x01" + bytes(r.randrange(256) for _ in range(3000)), "fail")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\x00" * 50_000_000)
    m.add(folder, "bin/zip-bomb.pdf", zbuf.getvalue(), "fail")
    m.add(folder, "bin/zip-bomb-md.md", zbuf.getvalue(), "fail")


def _pdfs(folder: Path, m: Manifest, r: random.Random) -> None:
    good = minimal_pdf(pdf_text([f"Line {i} about careers and {r.choice(WORDS)}." for i in range(30)]))
    m.add(folder, "pdf/fake-header.pdf", b"%PDF-1.7\n%garbage\n" + bytes(r.randrange(256) for _ in range(3000)), "fail")
    m.add(folder, "pdf/not-a-pdf.pdf", article(r, "Text Named PDF").encode(), "fail")
    m.add(folder, "pdf/truncated.pdf", good[: len(good) // 2], "either")
    m.add(folder, "pdf/no-xref.pdf", good[: good.index(b"xref")], "either")
    m.add(folder, "pdf/bad-xref.pdf", good.replace(b"0000000009", b"0000099999"), "either")
    m.add(folder, "pdf/no-text.pdf", minimal_pdf(b"0 0 m 100 100 l S"), "fail")
    m.add(folder, "pdf/nested-arrays.pdf", minimal_pdf(b"[" * 20_000 + b"]" * 20_000), "either")
    m.add(folder, "pdf/deep-dict.pdf", good.replace(b"/Count 1", b"/Count 1 /X " + b"<< /A " * 5000 + b">> " * 5000),
          "either")
    m.add(folder, "pdf/flate-bomb.pdf", minimal_pdf(b"BT ET " + b" " * 80_000_000, compress=True), "either")
    m.add(folder, "pdf/huge-count.pdf", good.replace(b"/Count 1", b"/Count 999999999"), "either")
    m.add(folder, "pdf/encrypted-ish.pdf", good.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt << /V 9 >>"), "either")
    for i in range(10):  # bytes flipped at random places
        data = bytearray(good)
        for _ in range(r.randrange(1, 40)):
            data[r.randrange(len(data))] = r.randrange(256)
        m.add(folder, f"pdf/flipped-{i}.pdf", bytes(data), "either")


def _mutants(folder: Path, m: Manifest, r: random.Random, n: int) -> None:
    """Good articles broken at random: cut, bytes flipped, NULs, re-encoded, markup spliced in."""
    for i in range(n):
        text = f"# Mutant {i}\n\n## {r.choice(WORDS).capitalize()}\n\n{sentence(r, 8)}\n\n- {sentence(r, 4)}\n"
        data = bytearray(text.encode(r.choice(("utf-8", "utf-16", "cp1252", "utf-32"))))
        for _ in range(r.randrange(0, 6)):
            op = r.randrange(5)
            pos = r.randrange(len(data) + 1)
            if op == 0:
                del data[pos:]
            elif op == 1 and data:
                data[min(pos, len(data) - 1)] = r.randrange(256)
            elif op == 2:
                data[pos:pos] = b"\x00" * r.randrange(1, 4)
            elif op == 3:
                data[pos:pos] = r.choice((b"<div>" * 50, b"```", b"---\n", b"| a |\n", b"&amp;" * 20, b"\r"))
            else:
                data[pos:pos] = bytes(r.randrange(128, 256) for _ in range(r.randrange(1, 5)))
        suffix = (".md", ".txt", ".html", ".htm", ".markdown")[i % 5]
        m.add(folder, f"mutant/m-{i:03d}{suffix}", bytes(data), "either")


def write_hostile(folder: Path, seed: int = 17, outside: Path | None = None) -> Manifest:
    """Write the hostile corpus into `folder`; `outside` is where a link out of the folder points."""
    r = random.Random(seed)
    m = Manifest()
    _good(folder, m, r, 12)
    _html(folder, m, r)
    _encodings(folder, m, r)
    _shapes(folder, m, r)
    _binary(folder, m, r)
    _pdfs(folder, m, r)
    _mutants(folder, m, r, 150)
    if outside is not None:
        outside.mkdir(parents=True, exist_ok=True)
        target = outside / "secret.md"
        target.write_text("# Outside\n\nThis file is outside the folder: outsidemarker.\n")
        (folder / "links").mkdir(exist_ok=True)
        (folder / "links" / "out.md").symlink_to(target)
        (folder / "links" / "out-dir").symlink_to(outside, target_is_directory=True)
        m.expect["links/out.md"] = "skip"
    return m
