"""`rekindle user` and `serve --team` through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import SAMPLE_VCF, rekindle


def test_accounts_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    refused = rekindle("serve", "--team", db=db, check=False)
    assert refused.returncode != 0 and "no account can sign in yet" in refused.stderr
    assert "Traceback" not in refused.stderr
    rekindle(
        "user", "add", "alice", "--admin", "--password-stdin", db=db, stdin="long password 1\n"
    )
    short = rekindle("user", "add", "bob", "--password-stdin", db=db, stdin="short\n", check=False)
    assert short.returncode != 0 and "too short" in short.stderr
    rekindle(
        "user",
        "add",
        "bob",
        "--name",
        "Bob B",
        "--password-stdin",
        db=db,
        stdin="long password 2\n",
    )
    # Bob's own data, by --user
    vcf = tmp_path / "c.vcf"
    vcf.write_text(SAMPLE_VCF)
    rekindle("--user", "bob", "import", str(vcf), db=db)
    listed = {
        a["username"]: a for a in json.loads(rekindle("user", "list", "--json", db=db).stdout)
    }
    assert listed["alice"]["admin"] and listed["alice"]["people"] == 0
    assert listed["bob"]["people"] == 2 and not listed["bob"]["admin"]
    assert listed["local"]["can_sign_in"] is False
    assert "Alice Smith" in rekindle("--user", "bob", "people", db=db).stdout
    assert "Alice Smith" not in rekindle("people", db=db).stdout  # the local data is apart
    missing = rekindle("--user", "carol", "people", db=db, check=False)
    assert missing.returncode != 0 and "no account named 'carol'" in missing.stderr
    rekindle("user", "remove", "bob", "--yes", db=db)
    listed = [a["username"] for a in json.loads(rekindle("user", "list", "--json", db=db).stdout)]
    assert listed == ["alice", "local"]
