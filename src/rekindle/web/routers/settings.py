"""Settings: you (name, addresses, affiliations), your goal, and every `rekindle config` key."""

from __future__ import annotations

from typing import Annotated

import phonenumbers
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from rekindle.errors import UserError
from rekindle.services import me, plan_actions
from rekindle.services import settings as settings_svc
from rekindle.services.drafting import template_set
from rekindle.store import Store
from rekindle.web import settings_form
from rekindle.web.deps import NowDep, StoreDep, done, render

router = APIRouter(tags=["settings"])
#: the mail accounts have their own page (Settings → Mail accounts)
ACCOUNT_KEYS = ("smtp.", "drafts.imap", "sync.imap")


def _groups(store: Store, values: dict[str, str | None]) -> list[settings_form.Group]:
    return settings_form.groups(
        {k: v for k, v in values.items() if not k.startswith(ACCOUNT_KEYS)},
        template_set(store).languages(),
        sorted(phonenumbers.SUPPORTED_REGIONS),
    )


@router.get("/settings")
def page(request: Request, store: StoreDep, saved: str = "") -> Response:
    values = settings_svc.current(store)
    return render(
        request,
        "settings.html",
        {
            "me": me.view(store),
            "goals": plan_actions.goals(store),
            "groups": _groups(store, values),
            "saved": saved == "1",
        },
    )


@router.post("/settings")
async def save(request: Request, store: StoreDep) -> Response:
    """Change the settings whose value differs from what is stored (empty: the default)."""
    form = await request.form(max_files=0, max_fields=200)
    before = settings_svc.current(store)
    labels = settings_form.labels(_groups(store, before))
    for key in dict.fromkeys(form.keys()):
        # a switch sends "no" from its hidden field, then "yes" when it is on: the last counts
        raw = form.getlist(key)[-1]
        if not isinstance(raw, str) or key not in before:
            continue
        value = raw.strip() or None
        if value != (before[key] or None):
            default = settings_svc.SETTINGS[key].default if key in settings_svc.SETTINGS else None
            try:
                settings_svc.change(store, key, None if value == default else value)
            except UserError as exc:  # in the page's words, not the config key's
                exc.message = exc.message.replace(key, f"“{labels.get(key, key)}”")
                if exc.hint and exc.hint.startswith(f"{key}: "):  # the CLI's gloss of its key
                    exc.hint = exc.hint.removeprefix(f"{key}: ").capitalize()
                raise
    return done(request, "/settings?saved=1")


@router.post("/settings/goal")
def goal(
    request: Request,
    store: StoreDep,
    now: NowDep,
    text: Annotated[str, Form()] = "",
) -> Response:
    plan_actions.set_goal(store, text, now=now)
    return done(request, "/settings")


@router.post("/settings/me/name")
def my_name(request: Request, store: StoreDep, name: Annotated[str, Form()] = "") -> Response:
    me.set_name(store, name)
    return done(request, "/settings")


@router.post("/settings/me/address")
def my_address(
    request: Request,
    store: StoreDep,
    address: Annotated[str, Form()],
    action: Annotated[str, Form()] = "add",
) -> Response:
    region = settings_svc.region(store)
    if action == "remove":
        if not me.remove_address(store, address, region):
            raise UserError(f"{address!r} is not one of your addresses")
    else:
        me.add_address(store, address, region)
    return done(request, "/settings")


@router.post("/settings/me/affiliation")
def my_affiliation(
    request: Request,
    store: StoreDep,
    organisation: Annotated[str, Form()],
    title: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    school: Annotated[bool, Form()] = False,
) -> Response:
    me.add_affiliation(
        store,
        organisation,
        title.strip() or None,
        start.strip() or None,
        end.strip() or None,
        school,
    )
    return done(request, "/settings")
