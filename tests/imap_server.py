"""A real Dovecot IMAP server on loopback ports, for tests.

Everything lives in one temporary directory: the generated configuration, its own ``base_dir``
and ``state_dir``, the log, a passwd-file with a ``{PLAIN}`` password, a self-signed
certificate (made with ``openssl``) and the Maildir. Nothing system-wide changes. There are two
listeners: a plain port (which also offers STARTTLS) and an SSL port.

``dovecot_skip_reason()`` says why the tests cannot run here (no ``dovecot`` binary); with the
``CI`` environment variable set, a missing server is a failure instead of a skip.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from imapclient import IMAPClient

USER = "rekindle"
PASSWORD = "correct horse battery staple"
#: the default layout: INBOX plus a Sent folder found by its special-use flag
DEFAULT_MAILBOXES = {"Sent": "\\Sent"}

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = rekindle-test-{port}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = 1
first_valid_gid = 1
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
mail_location = maildir:~/Maildir
mail_fsync = never
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
namespace inbox {{
  inbox = yes
  separator = /
{mailboxes}}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""

MAILBOX = """\
  mailbox "{name}" {{
    special_use = {flag}
    auto = subscribe
  }}
"""


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.path.exists(p)), None
    )


def dovecot_skip_reason() -> str | None:
    """Why the Dovecot tests cannot run here, or None; under CI a missing server fails."""
    reason = None
    if dovecot_binary() is None:
        reason = "no dovecot binary (apt-get install dovecot-imapd)"
    elif shutil.which("openssl") is None:
        reason = "no openssl binary to make the test certificate"
    if reason and os.environ.get("CI"):
        pytest.fail(f"CI must run the IMAP tests: {reason}")
    return reason


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _users() -> tuple[str, str, pwd.struct_passwd]:
    """(internal user, login user, mail user): unprivileged accounts when running as root."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_name, me
    names = {p.pw_name for p in pwd.getpwall()}
    for name in ("dovecot", "dovenull"):
        if name not in names:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                check=True,
            )
    mail = pwd.getpwnam("nobody") if "nobody" in names else pwd.getpwnam("dovenull")
    return "dovecot", "dovenull", mail


class DovecotServer:
    """One Dovecot process with one user; ``start()``/``stop()`` may be called repeatedly."""

    def __init__(self, mailboxes: dict[str, str] | None = None) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="rekindle-dovecot-"))
        self.root.chmod(0o755)  # the unprivileged mail and login users must reach inside
        self.port = free_port()
        self.ssl_port = free_port()
        self.user = USER
        self.password = PASSWORD
        self.proc: subprocess.Popen[bytes] | None = None
        internal, login, mail = _users()
        home = self.root / "home" / USER
        home.mkdir(parents=True)
        os.chown(home, mail.pw_uid, mail.pw_gid)
        (self.root / "passwd").write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}:{mail.pw_uid}:{mail.pw_gid}::{home}\n"
        )
        self.cert = self.root / "cert.pem"
        self._make_certificate()
        boxes = mailboxes if mailboxes is not None else DEFAULT_MAILBOXES
        self.config = self.root / "dovecot.conf"
        self.config.write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                ssl_port=self.ssl_port,
                internal_user=internal,
                login_user=login,
                mailboxes="".join(MAILBOX.format(name=n, flag=f) for n, f in boxes.items()),
            )
        )

    def _make_certificate(self) -> None:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(self.root / "key.pem"),
                "-out",
                str(self.cert),
            ],  # fmt: skip
            check=True,
            capture_output=True,
        )

    # -- the process ------------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        binary = dovecot_binary()
        assert binary, "dovecot is not installed"
        self.proc = subprocess.Popen(
            [binary, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: stop() ends every child at once
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"dovecot exited ({self.proc.returncode}): {err}{self.log()}")
            if self._answers(self.port) and self._answers(self.ssl_port):
                return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"dovecot did not listen within {timeout} s:\n{self.log()}")
            time.sleep(0.01)

    @staticmethod
    def _answers(port: int) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server; every client connection drops."""
        if self.proc is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(
            ["doveadm", "-c", str(self.config), *args], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    # -- what tests do to the mailbox -------------------------------------------------------

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.cert))

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        imap = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        try:
            imap.login(self.user, self.password)
            yield imap
        finally:
            try:
                imap.logout()
            except Exception:  # noqa: BLE001 - the server may be gone already
                imap.shutdown()

    def append(self, folder: str, messages: Iterable[bytes]) -> None:
        with self.client() as imap:
            imap.multiappend(folder, list(messages))

    def create_folder(self, folder: str) -> None:
        with self.client() as imap:
            imap.create_folder(folder)

    def delete_folder(self, folder: str) -> None:
        with self.client() as imap:
            imap.delete_folder(folder)

    def uidvalidity(self, folder: str) -> int:
        with self.client() as imap:
            return int(imap.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def set_uidvalidity(self, folder: str, value: int) -> None:
        """Give ``folder`` a new UIDVALIDITY, keeping its messages (as an index rebuild does)."""
        self.doveadm("mailbox", "update", "-u", self.user, "--uid-validity", str(value), folder)

    def kick(self) -> None:
        """Kill every IMAP session process: clients see their connection drop mid-command."""
        assert self.proc is not None, "the server is not running"
        sessions = [pid for pid, comm in self._children() if comm == "imap"]
        for pid in sessions:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(Path(f"/proc/{pid}").exists() for pid in sessions):
            assert time.monotonic() < deadline, "IMAP sessions did not end"
            time.sleep(0.005)

    def _children(self) -> list[tuple[int, str]]:
        """(pid, command name) of the master's child processes, from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError):
                text = stat.read_text()
                comm = text[text.index("(") + 1 : text.rindex(")")]
                fields = text[text.rindex(")") + 2 :].split()
                if self.proc and int(fields[1]) == self.proc.pid and fields[0] != "Z":
                    found.append((int(stat.parent.name), comm))
        return found


@contextmanager
def running_dovecot(mailboxes: dict[str, str] | None = None) -> Iterator[DovecotServer]:
    """A started server, skipped (or failed under CI) where Dovecot is not installed."""
    reason = dovecot_skip_reason()
    if reason:
        pytest.skip(reason)
    server = DovecotServer(mailboxes)
    try:
        server.start()
        yield server
    finally:
        server.close()
