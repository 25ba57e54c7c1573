"""Admin (and a manager, for their own service's rules): the automation rules in their
order, with when each last fired, how often, and its errors; turned on or off, moved,
created and edited with a structured form; a dry run over the last 100 requests."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.access import SERVICE_OF_ROLE, may_read
from server.auth.roles import ADMIN
from server.auth.session import current_person
from server.casework import rule_forms
from server.casework import rules as rules_engine
from server.casework.assignment import PRIORITIES
from server.db import audit
from server.db import rules as rules_db
from server.db.clock import parse_iso
from server.db.people import Person
from server.errors import NotFound
from server.rendering import locale_of, renderer


def _person(request: Request) -> tuple[Person, str | None]:
    """Who, and the service they may change rules of (None: an admin, every rule)."""
    person = current_person(request)
    assert person is not None
    return person, None if person.role == ADMIN else SERVICE_OF_ROLE.get(person.role)


async def _rule(request: Request, service: str | None) -> rules_db.Rule:
    try:
        rule_id = int(request.path_params["rule_id"])
    except ValueError:
        raise NotFound() from None
    found = await request.app.state.store.read(rules_db.by_id, rule_id)
    if found is None or (service is not None and found.service != service):
        raise NotFound()
    return found


def _labels() -> dict[str, Any]:
    return {"condition_kinds": rules_engine.CONDITIONS, "action_kinds": rules_engine.ACTIONS,
            "events": rules_engine.EVENTS,
            "service_names": rule_forms.SERVICE_NAMES, "priorities": PRIORITIES,
            "rows": rule_forms.ROWS}


async def rules_page(request: Request) -> Response:
    _p, service = _person(request)
    store = request.app.state.store
    found = await store.read(rules_db.all_rules, service)
    errors = await store.read(rules_db.recent_errors)
    counts = await store.read(rules_db.error_count)
    return renderer(request).render(request, "admin/rules.html", {
        **_labels(), "rules": found, "rule_errors": errors, "error_counts": counts,
        "done": request.query_params.get("done", ""),
        "when": lambda at: i18n.format_datetime(parse_iso(at), locale_of(request))})


async def rule_form(request: Request, errors: dict[str, Any] | None = None,
                    posted: rule_forms.RuleForm | None = None,
                    status_code: int = 200) -> Response:
    _p, service = _person(request)
    rule = None
    if "rule_id" in request.path_params:
        rule = await _rule(request, service)
    shown = posted or (rule_forms.from_rule(rule) if rule else rule_forms.blank())
    return renderer(request).render(request, "admin/rule.html", {
        **_labels(), "rule": rule, "form": shown, "fixed_service": service,
        "errors": errors or {}, "has_errors": bool(errors)}, status_code=status_code)


async def save_rule(request: Request) -> Response:
    person, service = _person(request)
    rule = await _rule(request, service) if "rule_id" in request.path_params else None
    posted = rule_forms.read(await request.form(), service)
    store = request.app.state.store
    services = [service] if service else list(rule_forms.SERVICE_NAMES)
    found = await store.read(rule_forms.problems, posted, services)
    if found:
        text = i18n.Gettext(locale_of(request))
        errors = {f: {"field": f, "message": text.gettext(m)} for f, m in found.items()}
        return await rule_form(request, errors, posted, 400)

    def save(db: Any) -> int:
        if rule is None:
            rule_id = rules_db.add_rule(db, posted.name, posted.service, posted.conditions,
                                        posted.actions, on_event=posted.on_event)
        else:
            rule_id = rule.id
            rules_db.update_rule(db, rule_id, posted.name, posted.service,
                                 posted.conditions, posted.actions, posted.on_event)
        audit.record(db, person.actor, "rule_created" if rule is None else "rule_changed",
                     f"rule:{rule_id}", {"name": posted.name, "conditions": posted.conditions,
                                          "actions": posted.actions})
        return rule_id

    await store.write(save)
    return RedirectResponse("/admin/rules?done=saved", status_code=303)


async def switch_rule(request: Request) -> Response:
    person, service = _person(request)
    rule = await _rule(request, service)
    enabled = (await request.form()).get("enabled") == "1"

    def switch(db: Any) -> None:
        rules_db.set_enabled(db, rule.id, enabled)
        audit.record(db, person.actor, "rule_enabled" if enabled else "rule_disabled",
                     f"rule:{rule.id}")

    await request.app.state.store.write(switch)
    return RedirectResponse("/admin/rules?done=" + ("enabled" if enabled else "disabled"),
                            status_code=303)


async def move_rule(request: Request) -> Response:
    person, service = _person(request)
    rule = await _rule(request, service)
    up = (await request.form()).get("direction") == "up"

    def move(db: Any) -> None:
        if rules_db.move(db, rule.id, up, service):
            audit.record(db, person.actor, "rule_moved", f"rule:{rule.id}",
                         {"direction": "up" if up else "down"})

    await request.app.state.store.write(move)
    return RedirectResponse(f"/admin/rules#rule-{rule.id}", status_code=303)


async def dry_run(request: Request) -> Response:
    person, service = _person(request)
    rule = await _rule(request, service)
    shown = [row for row in await request.app.state.store.read(rules_engine.dry_run, rule)
             if may_read(person.role, row.request.service, row.request.special_category)]
    return renderer(request).render(request, "admin/rule_dry_run.html", {
        **_labels(), "rule": rule, "shown": shown})
