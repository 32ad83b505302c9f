"""The settings a user can change with `rekindle config`, with their meaning and checks."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

from rekindle.engine.person_learning import DEFAULT_DECLINED_DAYS, DEFAULT_REST_DAYS
from rekindle.engine.scoring import PARTS
from rekindle.engine.tiers import DEFAULT_CADENCE_DAYS
from rekindle.errors import UserError
from rekindle.store import Store
from rekindle.store.engine import retime_holds
from rekindle.store.settings import get_settings, put_setting


@dataclass(frozen=True)
class Setting:
    key: str
    help: str
    default: str | None


SETTINGS = {
    s.key: s
    for s in (
        Setting(
            "region",
            "default country for phone numbers without a +country code (ISO code, e.g. GB, US, DE)",
            None,
        ),
        Setting("keep_photos", "keep contact photos from vCards (yes/no)", "no"),
        Setting(
            "plan.quota",
            "people in each plan, from the Rekindle list first (1 for one person per plan)",
            "3",
        ),
        Setting(
            "plan.keep_warm",
            "active ties due a check-in shown beside the quota, in the Keep warm section (0: none)",
            "2",
        ),
        Setting(
            "plan.rekindle_days",
            "days of silence, at least, before a tie that mattered is on the Rekindle list",
            "180",
        ),
        Setting(
            "plan.gap_multiple",
            "... and at least this many of the tie's usual gaps (a number, e.g. 3 or 2.5)",
            "3",
        ),
        Setting("plan.frequency", "how often a new plan comes: week or month", "week"),
        Setting(
            "plan.ranker",
            "how the Rekindle list is ranked: learnt (the tie's worth times its odds of coming "
            "back, fitted on your own history, refitted when it changes; docs/plan.md) or "
            "shipped (the worth alone, fixed weights)",
            "learnt",
        ),
        Setting(
            "plan.lock_days",
            "days after an outreach before anyone may contact that person again",
            "30",
        ),
        Setting("draft.language", "language of the draft templates (a folder name, e.g. en)", "en"),
        Setting("llm.enabled", "draft with a language model unless told otherwise (yes/no)", "no"),
        Setting(
            "llm.endpoint",
            "base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1",
            None,
        ),
        Setting("llm.model", "the model name the endpoint serves", None),
        Setting(
            "llm.api_key_env",
            "NAME of the environment variable holding the API key (the key is never stored)",
            None,
        ),
        Setting("smtp.host", "SMTP server that sends your mail, e.g. smtp.example.org", None),
        Setting("smtp.port", "SMTP port (587 for starttls, 465 for tls)", None),
        Setting("smtp.security", "starttls, tls or none (none: this machine only)", "starttls"),
        Setting("smtp.username", "SMTP login (the password is never stored)", None),
        Setting("smtp.timeout", "seconds to wait for the SMTP server", "30"),
        Setting(
            "smtp.from", "the address you send from (default: your first in `rekindle me`)", None
        ),
        Setting(
            "drafts.imap",
            "IMAP account whose Drafts folder `rekindle send --drafts` fills, imaps://user@host",
            None,
        ),
        Setting(
            "sync.imap",
            "IMAP account and folders the web page's mail sync reads, "
            "imaps://user@host[/INBOX,Sent] (as `rekindle sync mail` takes it)",
            None,
        ),
        Setting("followup.days", "days after a send without reply before the one follow-up", "10"),
        Setting(
            "outcomes.declined_days",
            "days a decline keeps a person out of plans (the door stays open; `resume` lifts it)",
            str(DEFAULT_DECLINED_DAYS),
        ),
        Setting(
            "outcomes.rest_days",
            "days a tie rests after an outreach left unanswered, from its send, times the "
            "unanswered attempts in a row (at most 3); 0: no rest",
            str(DEFAULT_REST_DAYS),
        ),
        *(
            Setting(f"cadence.{tier}", f"check-in cadence of {tier} ties, in days", str(days))
            for tier, days in DEFAULT_CADENCE_DAYS.items()
        ),
    )
}

#: settings named by a prefix: a cadence per tag, a weight per score part
PREFIXED = {
    "cadence.tag.": "check-in cadence for people with this tag, in days",
    "weight.": "weight of a score part (" + ", ".join(PARTS) + ")",
}


def _check(key: str, value: str) -> str:
    if key.startswith("cadence.") or key in (
        "plan.quota",
        "plan.lock_days",
        "plan.keep_warm",
        "plan.rekindle_days",
        "outcomes.declined_days",
        "outcomes.rest_days",
    ):
        zero_ok = key in ("plan.lock_days", "plan.keep_warm", "outcomes.rest_days")
        if not value.strip().isdigit() or (not zero_ok and int(value) == 0):
            unit = "people" if key in ("plan.quota", "plan.keep_warm") else "days"
            least = "0 or more" if zero_ok else "1 or more"
            raise UserError(f"{key} takes a whole number of {unit}, {least}; not {value!r}")
        return str(int(value))
    if key == "plan.gap_multiple":
        try:
            multiple = float(value)
        except ValueError:
            raise UserError(f"{key} takes a number, e.g. 3") from None
        if not 0 < multiple <= 100:
            raise UserError(f"{key} takes a number above 0, at most 100")
        return str(multiple)
    if key == "plan.ranker":
        if value.strip().lower() not in ("shipped", "learnt"):
            raise UserError("plan.ranker takes shipped or learnt")
        return value.strip().lower()
    if key == "plan.frequency":
        if value.strip().lower() not in ("week", "month"):
            raise UserError("plan.frequency takes week or month")
        return value.strip().lower()
    if key.startswith("weight."):
        if key.removeprefix("weight.") not in PARTS:
            raise UserError(f"no score part {key.removeprefix('weight.')!r}", hint=", ".join(PARTS))
        try:
            weight = float(value)
        except ValueError:
            raise UserError(f"{key} takes a number, e.g. 0.5") from None
        if weight < 0:
            raise UserError(f"{key} cannot be negative")
        return str(weight)
    if key == "region":
        code = value.strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise UserError(
                f"{value!r} is not a country code phone numbers know",
                hint="use an ISO code such as GB, US or DE",
            )
        return code
    if key in ("keep_photos", "llm.enabled"):
        low = value.strip().lower()
        if low not in ("yes", "no", "true", "false", "1", "0"):
            raise UserError(f"{key} takes yes or no")
        return "yes" if low in ("yes", "true", "1") else "no"
    if key.startswith("llm."):
        return _check_llm(key, value.strip())
    if key.startswith(("smtp.", "drafts.", "followup.", "sync.")):
        return _check_delivery(key, value.strip())
    return value


def _check_delivery(key: str, value: str) -> str:
    if key == "smtp.timeout" and not (value.isdigit() and int(value) > 0):
        raise UserError("smtp.timeout takes a whole number of seconds above zero")
    if key == "smtp.port" and not (value.isdigit() and 0 < int(value) < 65536):
        raise UserError("smtp.port takes a port number, e.g. 587")
    if key == "smtp.security" and value.lower() not in ("starttls", "tls", "none"):
        raise UserError("smtp.security takes starttls, tls or none")
    if key == "smtp.from" and "@" not in value:
        raise UserError(f"{value!r} is not an email address")
    if key in ("drafts.imap", "sync.imap"):
        if ":" in value.partition("://")[2].partition("@")[0]:
            raise UserError(
                "the IMAP address must not contain the password",
                hint="set REKINDLE_IMAP_PASSWORD, use the keyring, or let Rekindle ask",
            )
        if not value.startswith(("imap://", "imaps://")):
            raise UserError(f"{value!r} is not an IMAP address", hint="imaps://user@host[/Drafts]")
    if key == "followup.days" and not (value.isdigit() and 1 <= int(value) <= 60):
        raise UserError("followup.days takes a number of days from 1 to 60 (7 to 14 is kind)")
    return value.lower() if key == "smtp.security" else value


def _check_llm(key: str, value: str) -> str:
    if key == "llm.endpoint" and not value.startswith(("http://", "https://")):
        raise UserError(f"{value!r} is not an http(s) URL", hint="e.g. http://127.0.0.1:8080/v1")
    if key == "llm.api_key_env" and not (value.replace("_", "").isalnum() and value[:1].isalpha()):
        raise UserError(
            "llm.api_key_env takes the NAME of an environment variable, not the key itself",
            hint="e.g. `rekindle config set llm.api_key_env OPENAI_API_KEY`",
        )
    return value.rstrip("/") if key == "llm.endpoint" else value


def expects(key: str) -> str:
    """What a setting is, in words, and its default: the hint after a value it refuses."""
    setting = SETTINGS.get(key)
    if setting is None:
        prefix = next((p for p in PREFIXED if key.startswith(p)), "")
        return f"{key}: {PREFIXED[prefix]}" if prefix else ""
    default = f"; default {setting.default}" if setting.default is not None else ""
    return f"{key}: {setting.help}{default}"


def current(store: Store) -> dict[str, str | None]:
    with store.read() as conn:
        stored = get_settings(conn, store.owner_id)
    shown: dict[str, str | None] = {key: stored.get(key, s.default) for key, s in SETTINGS.items()}
    shown.update({k: v for k, v in sorted(stored.items()) if k.startswith(tuple(PREFIXED))})
    return shown


def change(store: Store, key: str, value: str | None) -> None:
    if key not in SETTINGS and not any(key.startswith(p) and key != p for p in PREFIXED):
        raise UserError(f"unknown setting {key!r}", hint="settings: " + ", ".join(SETTINGS))
    try:
        checked = _check(key, value) if value is not None else None
    except UserError as exc:
        exc.hint = exc.hint or expects(key)
        raise
    if key == "draft.language" and checked is not None:
        # the user's own templates may add languages to the shipped ones
        from rekindle.compose.draft_templates import TemplateSet, user_root  # Jinja: here only

        known = TemplateSet.with_user_root(user_root(store.location.data_dir)).languages()
        if checked.strip() not in known:
            raise UserError(
                f"no draft templates in {checked!r}",
                hint="languages: "
                + ", ".join(known)
                + "; to add one, `rekindle templates copy` and "
                "make a folder for it beside en",
            )
        checked = checked.strip()
    with store.begin() as conn:
        put_setting(conn, store.owner_id, key, checked)
        if key == "outcomes.declined_days":
            # one truth: a decline already recorded ends where the setting says now
            days = int(checked) if checked is not None else DEFAULT_DECLINED_DAYS
            retime_holds(conn, store.owner_id, "declined", days)


def region(store: Store) -> str | None:
    return current(store)["region"]


def help_for(key: str) -> str:
    if key in SETTINGS:
        return SETTINGS[key].help
    return next((h for prefix, h in PREFIXED.items() if key.startswith(prefix)), "")
