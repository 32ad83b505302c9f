"""Header values of mail: RFC 2047 encoded words, address lists, message ids, Gmail labels.

Everything here is pure, fast on the common case and never raises on bad content: an unknown
charset falls back to UTF-8 then Latin-1, a broken address list yields what can be read.
"""

from __future__ import annotations

import binascii
import codecs
import re

from rekindle.history.records import Address

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "x-sjis": "shift_jis",
    "unicode-1-1-utf-7": "utf-7",
}
_CODECS: dict[str, str | None] = {}


def _codec(charset: str) -> str | None:
    """A Python codec name for a MIME charset (``utf-8*en`` included), None when unknown."""
    known = _CODECS.get(charset)
    if known is not None or charset in _CODECS:
        return known
    name = charset.split("*", 1)[0].strip().lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
        # bytes-to-bytes codecs (base64, zlib) and idna are no charsets
        text = getattr(info, "_is_text_encoding", True) and info.name != "idna"
        found: str | None = info.name if text else None
    except (LookupError, ValueError):
        found = None
    if len(_CODECS) < 512:
        _CODECS[charset] = found
    return found


def _decode_text(data: bytes, charset: str) -> str:
    codec = _codec(charset)
    if codec is not None:
        for errors in ("strict", "replace"):
            try:
                return data.decode(codec, errors)
            except UnicodeDecodeError:
                continue
            except Exception:  # noqa: BLE001 - a codec may raise anything on bad input
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _word_bytes(kind: str, text: str) -> bytes:
    data = text.encode("utf-8", "replace")
    try:
        if kind in "bB":
            data = data.rstrip(b"=")
            return binascii.a2b_base64(data + b"=" * (-len(data) % 4))
        return binascii.a2b_qp(data, header=True)
    except (binascii.Error, ValueError):
        return data


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words; adjacent words of one charset are joined before decoding
    (a UTF-8 character may be split across two words), the space between them dropped."""
    if "=?" not in text:
        return text
    out: list[str] = []
    pending = b""
    pending_charset = ""
    pos = 0
    for m in _ENCODED_WORD.finditer(text):
        between = text[pos : m.start()]
        charset = m.group(1)
        if pending and (between and not between.isspace() or charset != pending_charset):
            out.append(_decode_text(pending, pending_charset))
            pending = b""
        if not pending:
            out.append(between)
        pending += _word_bytes(m.group(2), m.group(3))
        pending_charset = charset
        pos = m.end()
    if pending:
        out.append(_decode_text(pending, pending_charset))
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# address lists

_NAME_CHAR = r'[^",<>()\\:;\[\]@\s]'  # a display name's characters: no specials, no "@"
_BARE = r'[^\s",<>()\\:;\[\]]'  # a bare address's characters
_SIMPLE = re.compile(
    # "Quoted Name" <a@b> | Plain Name <a@b> | a@b -- each followed by a comma or the end. The
    # plain name starts and ends with a non-space, so no two parts compete for the same spaces
    # (a long run of spaces must not make matching quadratic).
    rf'\s*+(?:"([^"\\]*)"\s*+|({_NAME_CHAR}(?:[^",<>()\\:;\[\]@]*{_NAME_CHAR})?)?\s*+)'
    r'<([^<>"]*)>\s*+(?:,|$)'
    # a bare address: one run of its characters with an "@" inside it, checked by a lookahead
    # and then taken whole (a run of "@" must not be split at every "@" in turn: quadratic)
    rf"|\s*+((?={_BARE}*{_BARE}@{_BARE}){_BARE}++)\s*+(?:,|$)"
)
_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"?'  # quoted string
    r"|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)?"  # comment, one level of nesting
    r"|<[^<>]*>?"  # angle address
    r"|\[[^\[\]]*\]?"  # domain literal or [mailto:...]
    r"|[,:;]"
    r'|[^\s",:;<>()\[\]]+'  # atom, dot-atom, addr-spec pieces
)
#: "user at example.com": the domain a run with a dot inside it (a lookahead, then taken whole)
_OBFUSCATED = re.compile(r"^([^\s@]++) at ((?=[^\s@]*[^\s@]\.[^\s@])[^\s@]++)$")
_ADDRESSISH = re.compile(r"^[^\s@<>,;:\"]+@[^\s@<>,;:\"]+$")


def _clean_addr(addr: str) -> str:
    if (
        addr.isascii()
        and addr.isprintable()
        and "@" in addr
        and addr[0] not in "@< "
        and addr[-1] not in ".> "
        and "mailto:" not in addr
    ):
        return addr.lower()
    addr = addr.strip().strip("<>").strip()
    if addr[:7].lower() == "mailto:":
        addr = addr[7:]
    if addr.startswith("@") and ":" in addr:  # source route <@a,@b:user@host>
        addr = addr.split(":", 1)[1]
    return addr.strip().strip(".").lower()


def _make(addr: str, name: str) -> Address | None:
    """One address from its address part (angle content or bare token) and display name."""
    key = (addr, name)
    known = _MADE.get(key, _MISSING)
    if known is _MISSING:
        known = _make_new(addr, name)
        if len(addr) + len(name) <= _CACHED_LENGTH:
            if len(_MADE) >= _CACHE_SIZE:
                _MADE.clear()
            _MADE[key] = known
    return known  # type: ignore[return-value]


_MISSING = object()
#: addresses already made, by (address part, display name as written)
_MADE: dict[tuple[str, str], Address | None | object] = {}


def _make_new(addr: str, name: str) -> Address | None:
    if name:
        if "=?" in name:
            name = decode_words(name)
        name = " ".join(name.split())
    clean = _clean_addr(addr) if addr else ""
    if "@" in clean:
        return Address(clean, name)
    label = name or " ".join(addr.strip().strip("<>").split())
    if "=?" in label:
        label = decode_words(label)
    if not label:
        return None
    if _ADDRESSISH.match(label):  # an encoded word that hides an address
        return Address(label.lower(), "")
    return Address(label, label, "name")


def _unquote(token: str) -> str:
    inner = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
    return inner.replace('\\"', '"').replace("\\\\", "\\") if "\\" in inner else inner


def _finish(phrase: list[str], angle: str | None, comments: list[str]) -> Address | None:
    if angle is not None:
        return _make(angle, " ".join(phrase) or " ".join(comments))
    at = [i for i, tok in enumerate(phrase) if "@" in tok]
    if at:
        i = at[-1]
        name = " ".join(phrase[:i]) or " ".join(comments)
        return _make(phrase[i], name)
    text = " ".join(phrase)
    hidden = _OBFUSCATED.match(text)
    if hidden:
        return _make(f"{hidden.group(1)}@{hidden.group(2)}", " ".join(comments))
    if len(phrase) == 1 and not comments:
        return _make(phrase[0], "")
    return _make("", text or " ".join(comments))


def _parse_slow(value: str) -> list[Address]:
    found: list[Address] = []
    phrase: list[str] = []
    comments: list[str] = []
    angle: str | None = None
    for m in _TOKEN.finditer(value):
        tok = m.group()
        first = tok[0]
        if first == '"':
            phrase.append(_unquote(tok))
        elif first == "(":
            comments.append(tok[1:-1] if tok.endswith(")") else tok[1:])
        elif first == "<":
            angle = tok
        elif first == "[":
            phrase.append(tok.strip("[]"))
        elif first in ",;" or (first == ":" and angle is None):
            if first == ":" and phrase and not any("@" in p for p in phrase):
                phrase, comments = [], []  # a group's name: "undisclosed-recipients:"
                continue
            item = _finish(phrase, angle, comments) if phrase or angle is not None else None
            if item is not None:
                found.append(item)
            phrase, comments, angle = [], [], None
        else:
            phrase.append(tok)
    if phrase or angle is not None:
        item = _finish(phrase, angle, comments)
        if item is not None:
            found.append(item)
    return found


def _parse_simple(value: str) -> list[Address] | None:
    """The common forms (``Name <a@b>``, ``"Last, First" <a@b>``, ``a@b``) in one pass; None
    as soon as something else shows up."""
    found: list[Address] = []
    pos, end = 0, len(value)
    match = _SIMPLE.match
    while pos < end:
        m = match(value, pos)
        if m is None:
            return None
        quoted, plain, angle, bare = m.groups()
        item = _make(angle, quoted or plain or "") if angle is not None else _make(bare, "")
        if item is not None:
            found.append(item)
        pos = m.end()
    return found


def parse_addresses(value: str) -> list[Address]:
    """Every address of an address-list header, lower-cased, in order.

    Handles ``"Last, First" <a@b>``, groups (``undisclosed-recipients:;``), comments
    (``a@b (Name)``), bare addresses and the ``"alice@x" <bob@y>`` trick (the address is bob).
    A name without any address becomes ``Address(name, name, "name")``. Work is linear in
    the value's length, and only its first :data:`MAX_ADDRESS_LIST` characters are read.
    """
    if not value or value.isspace():
        return []
    if len(value) > MAX_ADDRESS_LIST:  # cut after the last whole address that fits
        cut = value.rfind(",", 0, MAX_ADDRESS_LIST)
        value = value[: cut if cut > 0 else MAX_ADDRESS_LIST]
    known = _SEEN.get(value)
    if known is None:
        found = _parse_simple(value)
        known = tuple(found if found is not None else _parse_slow(value))
        if len(value) <= _CACHED_LENGTH:
            if len(_SEEN) >= _CACHE_SIZE:
                _SEEN.clear()
            _SEEN[value] = known
    return list(known)


#: characters of one address list read (some 6,000 addresses; the rest of a longer one is
#: left out, so one header's work stays bounded)
MAX_ADDRESS_LIST = 256 * 1024
#: address lists already parsed (the same From and To values come back all the time);
#: Address is immutable, so records may share them. Bounded: short values, so many entries.
_SEEN: dict[str, tuple[Address, ...]] = {}
_CACHE_SIZE = 1 << 16
_CACHED_LENGTH = 1000


# ---------------------------------------------------------------------------------------------
# message ids and labels

_MSGID = re.compile(r"<([^<>\s]+)>")
MAX_REFERENCES = 100


def parse_message_ids(value: str) -> list[str]:
    """The ``<id>`` tokens of a Message-ID, In-Reply-To or References value, without brackets.

    A value without brackets yields its whitespace-separated words that contain ``@``.
    """
    ids = _MSGID.findall(value)
    if not ids:
        ids = [w.strip("<>,;") for w in value.split() if "@" in w]
    return ids


def trim_references(ids: list[str]) -> list[str]:
    """At most :data:`MAX_REFERENCES`: the thread root and the most recent ancestors."""
    if len(ids) <= MAX_REFERENCES:
        return ids
    return [ids[0], *ids[-(MAX_REFERENCES - 1) :]]


def split_labels(value: str) -> list[str]:
    """Gmail's ``X-Gmail-Labels``: decoded, split on commas outside double quotes."""
    known = _LABELS.get(value)
    if known is None:
        known = tuple(_split_labels(value))
        if len(value) <= _CACHED_LENGTH:
            if len(_LABELS) >= _CACHE_SIZE:
                _LABELS.clear()
            _LABELS[value] = known
    return list(known)


#: label values already split (an archive has a few hundred different ones)
_LABELS: dict[str, tuple[str, ...]] = {}


def _split_labels(value: str) -> list[str]:
    value = decode_words(value)
    parts: list[str] = []
    if '"' not in value:
        parts = value.split(",")
    else:
        buf: list[str] = []
        quoted = False
        for ch in value:
            if ch == '"':
                quoted = not quoted
            elif ch == "," and not quoted:
                parts.append("".join(buf))
                buf = []
            else:
                buf.append(ch)
        parts.append("".join(buf))
    return [p for p in (" ".join(p.split()) for p in parts) if p]
