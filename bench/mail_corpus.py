"""A deterministic synthetic mail archive for ``bench/scan_mail.py``: an mbox and its Maildir twin.

Gmail Takeout style: ``From <id>@xxx <asctime with +0000 before the year>`` envelopes, X-GM-THRID,
X-Gmail-Labels, Received/ARC/DKIM chains (header blocks of 1-4 KB), folded and RFC 2047-encoded
names and subjects, threads with References, multipart bodies with base64 attachments, about
5,000 correspondents over a decade, list mail, bounces and a few unquoted ``From `` body lines.
The same seed and size always give the same bytes; files are reused when their stamp matches.
"""

from __future__ import annotations

import base64
import json
import os
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

VERSION = 3
ME = ("Robin Example", "me@example.org")
FIRST = [
    "Anna",
    "Ben",
    "Chloé",
    "Daniel",
    "Élodie",
    "Frank",
    "Grace",
    "Hiroshi",
    "Ingrid",
    "José",
    "Kai",
    "Lena",
    "Marta",
    "Nikolai",
    "Olga",
    "Pierre",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomasz",
    "Ulrike",
    "Vera",
    "Wei",
    "Xavier",
    "Yusuf",
    "Zoë",
    "Łukasz",
    "Ana",
    "Björn",
    "Priya",
]
LAST = [
    "Müller",
    "García",
    "Smith",
    "Dubois",
    "Rossi",
    "Kowalski",
    "Andersen",
    "Novak",
    "Tanaka",
    "Silva",
    "Jensen",
    "O'Brien",
    "Nguyen",
    "Schmidt",
    "Fernández",
    "Ivanova",
    "Cohen",
    "Larsen",
    "Moreau",
    "Popescu",
    "Horváth",
    "Costa",
    "Weber",
    "Li",
]
DOMAINS = [
    "gmail.com",
    "yahoo.fr",
    "example.com",
    "acme.io",
    "uni-bonn.de",
    "web.de",
    "posteo.net",
    "corp.example",
]
WORDS = [
    "meeting",
    "project",
    "lunch",
    "report",
    "draft",
    "budget",
    "trip",
    "photos",
    "question",
    "update",
    "plan",
    "invoice",
    "weekend",
    "review",
    "slides",
    "conference",
    "paper",
    "garden",
    "concert",
    "birthday",
    "code",
    "release",
    "idea",
]
UNICODE_WORDS = ("café", "Überblick", "réunion", "naïve", "Grüße", "日本", "привет", "año")
LISTS = ("python-dev.python.org", "announce.lists.example.com", "news.acme.io")
LABELS = ("Inbox", "Important", "Opened", "Category Personal", "Category Updates", "Unread")
TZS = (-480, -420, -300, -240, 0, 60, 120, 330, 540)


@dataclass(frozen=True)
class Corpus:
    mbox: Path
    maildir: Path
    messages: int
    from_lines: int  # unquoted "From " lines inside bodies (the stdlib counts them as messages)


def _b64(rng: random.Random, n: int) -> str:
    return base64.b64encode(rng.randbytes(n * 3 // 4 + 3)).decode()[:n]


def _fold(text: str, first: int, width: int = 76) -> str:
    """Fold a long token-free string (base64) over continuation lines."""
    lines = [text[:first]]
    lines += ["\t" + text[i : i + width] for i in range(first, len(text), width)]
    return "\n".join(lines)


def _encode(text: str, rng: random.Random) -> str:
    if text.isascii():
        return text
    if rng.random() < 0.5:
        return "=?UTF-8?B?" + base64.b64encode(text.encode()).decode() + "?="
    data = text.encode()
    q = "".join(
        chr(b) if (chr(b).isalnum() and b < 128) else ("_" if b == 32 else f"={b:02X}")
        for b in data
    )
    return "=?utf-8?Q?" + q + "?="


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.people = [
            (f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"p{i}.{rng.choice(LAST).lower()}")
            for i in range(5000)
        ]
        self.people = [
            (name, f"{local.encode('ascii', 'ignore').decode()}@{rng.choice(DOMAINS)}")
            for name, local in self.people
        ]
        self.threads: list[tuple[str, list[str], int]] = []
        self.attachments = [
            base64.b64encode(rng.randbytes(rng.randint(4000, 45000))) for _ in range(40)
        ]
        self.text = " ".join(rng.choice(WORDS) for _ in range(4000))
        self.from_lines = 0

    def _addr(self, who: tuple[str, str]) -> str:
        name, addr = who
        rng = self.rng
        style = rng.random()
        if style < 0.1:
            return addr
        if style < 0.2:
            last, first = name.rsplit(" ", 1)[-1], name.split(" ", 1)[0]
            return f'"{_encode(last, rng)}, {first}" <{addr}>'
        if not name.isascii():
            return f"{_encode(name, rng)} <{addr}>"
        return f'"{name}" <{addr}>' if style < 0.5 else f"{name} <{addr}>"

    def _received(self, when: datetime, hop: int) -> str:
        rng = self.rng
        stamp = format_datetime(when - timedelta(seconds=hop * 3)) + " (PDT)"
        ip = ".".join(str(rng.randint(1, 254)) for _ in range(4))
        return (
            f"Received: from mail-{rng.randint(1, 99)}.relay{hop}.example.net "
            f"(mail-{hop}.example.net. [{ip}])\n"
            f"        by mx.google.com with ESMTPS id {_b64(self.rng, 20)}\n"
            f"        for <{ME[1]}>\n"
            f"        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n"
            f"        {stamp}\n"
        )

    def message(self, i: int, when: datetime) -> tuple[str, bytes]:
        """(envelope line, message bytes without the envelope) of message ``i``."""
        rng = self.rng
        kind = rng.random()
        local = when.astimezone(timezone(timedelta(minutes=rng.choice(TZS))))
        mid = f"{_b64(rng, 24).replace('/', 'x').replace('+', 'y')}.{i}@mail.example.net"
        labels = [rng.choice(LABELS) for _ in range(rng.randint(1, 3))]
        extra = ""
        reply_to = None
        refs: list[str] = []
        if kind < 0.01:  # a bounce
            sender = '"Mail Delivery Subsystem" <mailer-daemon@googlemail.com>'
            to = [f"{ME[0]} <{ME[1]}>"]
            subject = "Delivery Status Notification (Failure)"
            extra = "Auto-Submitted: auto-replied\nReturn-Path: <>\n"
            ctype = "multipart/report; report-type=delivery-status"
        elif kind < 0.16:  # list mail
            sender = self._addr(rng.choice(self.people))
            lst = rng.choice(LISTS)
            to = [f"<{lst.replace('.', '@', 1)}>"]
            subject = f"[{lst.split('.')[0]}] " + " ".join(rng.sample(WORDS, 4))
            extra = (
                f"List-Id: {lst.split('.')[0]} <{lst}>\n"
                f"List-Unsubscribe: <mailto:{lst.split('.')[0]}-leave@{lst.split('.', 1)[1]}>,\n"
                f" <https://{lst.split('.', 1)[1]}/unsubscribe/{_b64(rng, 16)}>\nPrecedence: list\n"
            )
            ctype = "text/plain"
        else:
            people = [rng.choice(self.people) for _ in range(rng.randint(1, 4))]
            outgoing = rng.random() < 0.3
            if outgoing:
                sender, to = self._addr(ME), [self._addr(p) for p in people]
                labels = ["Sent"]
            else:
                sender, to = (
                    self._addr(people[0]),
                    [self._addr(ME)] + [self._addr(p) for p in people[1:]],
                )
            if self.threads and rng.random() < 0.5:
                t = rng.randrange(len(self.threads))
                subject, refs, count = self.threads[t]
                reply_to = refs[-1]
                self.threads[t] = (subject, (refs + [mid])[-12:], count + 1)
                subject = "Re: " + subject
            else:
                words = rng.sample(WORDS, rng.randint(3, 9))
                if rng.random() < 0.2:
                    words.insert(1, rng.choice(UNICODE_WORDS))
                subject = " ".join(words)
                self.threads.append((subject, [mid], 1))
                if len(self.threads) > 2000:
                    self.threads.pop(rng.randrange(len(self.threads)))
            attach = rng.random() < 0.1
            ctype = "multipart/mixed" if attach else "multipart/alternative"
        boundary = "000000000000" + _b64(rng, 16).replace("/", "a").replace("+", "b")
        if ctype.startswith("multipart/"):
            ctype += f'; boundary="{boundary}"'
        head = [
            f"X-GM-THRID: {rng.getrandbits(62)}\n",
            f"X-Gmail-Labels: {','.join(dict.fromkeys(labels))}\n",
            f"Delivered-To: {ME[1]}\n",
        ]
        head += [self._received(when, h) for h in range(rng.randint(2, 6))]
        head.append(
            f"ARC-Seal: i=1; a=rsa-sha256; t={int(when.timestamp())}; cv=none;\n"
            f"        d=google.com; s=arc-20160816;\n        b={_fold(_b64(rng, 344), 60)}\n"
        )
        head.append(
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=2016;\n"
            "        h=mime-version:references:in-reply-to:from:date:message-id:subject:to;\n"
            f"        bh={_b64(rng, 44)};\n        b={_fold(_b64(rng, 344), 60)}\n"
        )
        head.append(extra)
        head.append("MIME-Version: 1.0\n")
        if reply_to:
            head.append(f"In-Reply-To: <{reply_to}>\n")
            head.append("References: " + "\n ".join(f"<{r}>" for r in refs) + "\n")
        enc_subject = _encode(subject, rng)
        if len(enc_subject) > 60 and " " in enc_subject[40:]:
            cut = enc_subject.index(" ", 40)
            enc_subject = enc_subject[:cut] + "\n" + enc_subject[cut:]
        head.append(f"From: {sender}\nDate: {format_datetime(local)}\nMessage-ID: <{mid}>\n")
        head.append(f"Subject: {enc_subject}\nTo: {', '.join(to)}\n")
        if rng.random() < 0.15:
            head.append(f"Cc: {self._addr(rng.choice(self.people))}\n")
        head.append(f"Content-Type: {ctype}\n\n")
        body = self._body(ctype, boundary)
        envelope = (
            f"From {rng.getrandbits(63)}@xxx {when.strftime('%a %b %d %H:%M:%S')} +0000 {when.year}"
        )
        return envelope, ("".join(head) + body).encode("utf-8")

    def _body(self, ctype: str, boundary: str) -> str:
        rng = self.rng
        start = rng.randrange(0, len(self.text) - 3000)
        words = self.text[start : start + rng.randint(300, 2500)]
        lines = [words[i : i + 72] for i in range(0, len(words), 72)]
        if rng.random() < 0.005:
            lines.insert(1, "From what I recall, the meeting moved to Thursday.")
            self.from_lines += 1
        if rng.random() < 0.005:
            lines.insert(1, ">From the archive, quoted as mboxrd does it.")
        text = "\n".join(lines) + "\n"
        if not ctype.startswith("multipart/"):
            return text
        parts = [f'--{boundary}\nContent-Type: text/plain; charset="UTF-8"\n\n{text}']
        if ctype.startswith("multipart/mixed"):
            blob = rng.choice(self.attachments)
            enc = b"\n".join(blob[i : i + 76] for i in range(0, len(blob), 76)).decode()
            parts.append(
                f'--{boundary}\nContent-Type: application/pdf; name="doc{rng.randint(1, 99)}.pdf"\n'
                f"Content-Transfer-Encoding: base64\n\n{enc}\n"
            )
        elif ctype.startswith("multipart/report"):
            parts.append(
                f"--{boundary}\nContent-Type: message/delivery-status\n\n"
                "Reporting-MTA: dns; googlemail.com\nAction: failed\nStatus: 5.1.1\n"
            )
        else:
            parts.append(
                f'--{boundary}\nContent-Type: text/html; charset="UTF-8"\n\n<div>{text}</div>\n'
            )
        return "".join(parts) + f"--{boundary}--\n"


def ensure_corpus(out: Path, messages: int, seed: int = 7) -> Corpus:
    """Write (or reuse) ``mail-<seed>-<n>.mbox`` and its Maildir twin under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"mail-{seed}-{messages}"
    mbox, maildir, stamp = Path(f"{stem}.mbox"), Path(f"{stem}.maildir"), Path(f"{stem}.json")
    want = {"version": VERSION, "seed": seed, "messages": messages}
    if stamp.exists() and mbox.exists() and maildir.is_dir():
        done = json.loads(stamp.read_text())
        if {k: done.get(k) for k in want} == want:
            return Corpus(mbox, maildir, messages, int(done["from_lines"]))
    gen = _Gen(seed)
    folders = {name: maildir / name for name in ("", ".Sent", ".Lists", ".Lists.Python")}
    for folder in folders.values():
        for sub in ("cur", "new", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
    when = datetime(2014, 1, 1, tzinfo=UTC)
    step = 10 * 365 * 86400 / messages
    with mbox.open("wb", buffering=4 << 20) as fh:
        for i in range(messages):
            when += timedelta(seconds=gen.rng.uniform(0.2, 1.8) * step)
            envelope, data = gen.message(i, when)
            fh.write(envelope.encode() + b"\n" + data + b"\n")
            if b"\nList-Id:" in data:
                folder = folders[".Lists.Python" if b"python-dev" in data[:4000] else ".Lists"]
            elif b"X-Gmail-Labels: Sent" in data[:200]:
                folder = folders[".Sent"]
            else:
                folder = folders[""]
            sub = "new" if i % 10 == 0 else "cur"
            name = f"{int(when.timestamp())}.M{i}P1.bench" + (":2,S" if sub == "cur" else "")
            (folder / sub / name).write_bytes(data)
    stamp.write_text(json.dumps({**want, "from_lines": gen.from_lines}))
    return Corpus(mbox, maildir, messages, gen.from_lines)


if __name__ == "__main__":
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(ensure_corpus(Path(__file__).resolve().parent / "out", n))
    os.sync()
