"""Text files' bytes to text, whatever encoding they were saved in.

In order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-8; the charset a
page declares; UTF-8 mixed with stray 8-bit bytes (those read as
Windows-1252); UTF-16/32 without a mark, told by where the NUL bytes fall;
then charset-normalizer's guess. Among 8-bit code pages the guess is weak
(every Latin code page fits Western text), so Windows-1252 wins unless the
guess reads another script (Cyrillic, Greek, ...) with a language behind it.
A multi-byte character cut off at the very end is dropped. A candidate
counts only when its text is plausible (at most 2% control characters,
surrogates or U+FFFD); a file is binary only when no candidate is."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Characters text files do not hold: C0/C1 controls (tab, newlines, form feed kept), lone surrogates,
# replacement characters, private use.
_BAD = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_STRAY = re.compile(r"[\udc80-\udcff]")  # bytes UTF-8 could not read, as surrogateescape gives them
_WIDE = re.compile(r"[^\x00-\x7f\udc80-\udcff]")
_SAMPLE = 200_000  # characters looked at to judge a candidate


class DecodeError(ValueError):
    """No text encoding explains the bytes; the message is one line for the user."""


def plausible(text: str) -> bool:
    """Reads as text: at most 2% of the characters are controls, surrogates, private use or U+FFFD.

    >>> plausible("Caf\\u00e9 au lait"), plausible("\\x00\\x01\\x02PK\\x03\\x04" * 9)
    (True, False)
    """
    sample = text[:_SAMPLE]
    return len(_BAD.findall(sample)) <= len(sample) // 50


def _strict(data: bytes, encoding: str) -> str | None:
    """The text, tolerating a multi-byte character cut off at the very end; None when it does not decode."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        if e.reason in ("unexpected end of data", "truncated data") and e.end >= len(data) - 3:
            try:
                return data[: e.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None
    except LookupError:
        return None


def _cp1252_bytes(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return bad.decode("cp1252", errors="replace").replace("\ufffd", "") or bad.decode("latin-1"), err.end


codecs.register_error("careerbot-cp1252", _cp1252_bytes)


def _mixed_utf8(data: bytes) -> str | None:
    """UTF-8 with some stray 8-bit bytes (read as Windows-1252), when the valid multi-byte characters are at
    least a quarter as many as the stray bytes (Latin-1 text hardly ever holds a valid UTF-8 sequence)."""
    loose = data.decode("utf-8", errors="surrogateescape")
    stray = len(_STRAY.findall(loose))
    wide = len(_WIDE.findall(loose))
    if not wide or stray > 4 * wide:
        return None
    return data.decode("utf-8", errors="careerbot-cp1252")


def _utf16_32_by_nuls(data: bytes) -> tuple[str, str] | None:
    """UTF-16/32 without a byte-order mark: mostly-ASCII text has NUL bytes at fixed positions."""
    head = data[:4096]
    for width, names in ((4, ("utf-32-le", "utf-32-be")), (2, ("utf-16-le", "utf-16-be"))):
        units = [head[i : i + width] for i in range(0, len(head) - width + 1, width)]
        if not units or len(data) % width:
            continue
        for name in names:
            le = name.endswith("le")
            text_units = sum(1 for u in units if (u[0] if le else u[-1]) and not any(u[1:] if le else u[:-1]))
            if text_units >= 0.7 * len(units):
                text = _strict(data, name)
                ascii_chars = sum(" " <= c <= "~" or c in "\t\r\n" for c in (text or "")[:2048])
                if text and ascii_chars >= 0.7 * min(len(text), 2048):
                    return text, name
    return None


def latin_only(text: str) -> bool:
    """Every non-ASCII letter is a Latin one (é, ß, ø), as in any Western text.

    >>> latin_only("Café Zürich"), latin_only("Привет")
    (True, False)
    """
    return all(unicodedata.name(c, "").startswith("LATIN") for c in set(text[:_SAMPLE]) if c > "\x7f" and c.isalpha())


def _detected(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess, or Windows-1252 (see the module's docstring)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    western = data.decode("cp1252", errors="careerbot-cp1252")  # its 5 unassigned bytes as Latin-1
    western_fits = plausible(western)
    if best is not None and best.encoding is not None:
        text = str(best)
        if plausible(text) and not (western_fits and (best.coherence < 0.1 or latin_only(text))):
            return text, codecs.lookup(best.encoding).name
    return (western, "cp1252") if western_fits else None


def _candidates(data: bytes, declared: str | None) -> Iterator[tuple[str | None, str]]:
    """What each way of reading the bytes gives, most trusted first (None: that way does not fit)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            yield _strict(body, name) or body.decode(name, errors="replace"), name  # a few bad units are read as
            break  # U+FFFD and count against plausibility
    yield _strict(data, "utf-8"), "utf-8"
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = ""
        if name:
            yield _strict(data, name), name
    yield _mixed_utf8(data), "utf-8+cp1252"
    if b"\x00" in data:
        by_nuls = _utf16_32_by_nuls(data)
        if by_nuls is not None:
            yield by_nuls
    found = _detected(data)
    if found is not None:
        yield found


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes; `declared` is a charset the file names (HTML's <meta>).

    Control characters a plausible text still holds are dropped.

    >>> decode_bytes("Caf\\u00e9".encode("utf-16"))
    ('Café', 'utf-16-le')
    >>> decode_bytes("R\\u00e9sum\\u00e9 tips".encode("cp1252"))
    ('Résumé tips', 'cp1252')
    >>> decode_bytes(b"\\x00\\xff" * 50)
    Traceback (most recent call last):
    ...
    ingest.decode.DecodeError: file looks binary (NUL bytes), not text
    """
    if not data.strip():
        raise DecodeError("file is empty")
    for text, name in _candidates(data, declared):
        if text is None or not plausible(text):
            continue
        text = _CONTROLS.sub("", text)
        if not text.strip():
            raise DecodeError("file is empty")
        return text.removeprefix("\ufeff"), name
    if b"\x00" in data:
        raise DecodeError("file looks binary (NUL bytes), not text")
    raise DecodeError("file looks binary: no text encoding fits its bytes")

