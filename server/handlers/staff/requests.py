"""The first staff inbox: an officer's service's requests, one request (what the
resident sent, as they saw it, and its timeline), and what they can do to it: change its
status (with its outcome when closing) or send a message, add a note, mark what the
resident did as seen."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.access import MANAGERS, SERVICE_OF_ROLE, may_read, reads_special_category
from server.auth.session import current_person
from server.casework import actions as casework
from server.casework import assignment, field_conflicts, field_timeline, queue, sla
from server.casework.replies import replies_for
from server.casework.request_view import request_view
from server.casework.status import OFFICER_OUTCOMES, STATUS, outcome_label, status_label
from server.db import duplicates as duplicates_db
from server.db import queues, request_tasks, saved_views, sync_slots
from server.db import requests as requests_db
from server.db import rules as rules_db
from server.db import teams as teams_db
from server.db.people import Person
from server.errors import Forbidden, NotFound
from server.forms.normalise import clean_text
from server.i18n import lazy as _
from server.journeys.catalogue import service_text
from server.notify import deliveries
from server.rendering import locale_of, renderer
from server.web import navigation

NOTE_MAX = 5000
PAGE_SIZE = 50
CHOOSE_TEMPLATE = _("Choose a template")
# The working-day clock's states as a tag on the request page.
SLA_STATES = {sla.ON_TIME: _("On time"), sla.DUE_SOON: _("Due soon"),
              sla.OVERDUE: _("Overdue"), sla.MET: _("Met"), sla.MISSED: _("Missed"),
              sla.WAITING: _("Clock paused")}
DUE_TAGS = {sla.OVERDUE: SLA_STATES[sla.OVERDUE], sla.DUE_SOON: SLA_STATES[sla.DUE_SOON]}


def officer(request: Request) -> Person:
    person = current_person(request)
    assert person is not None  # routes.py lets only officers in
    return person


def page_number(request: Request) -> int:
    try:
        return max(1, min(int(request.query_params.get("page", "1")), 1_000_000))
    except ValueError:
        return 1


async def inbox(request: Request) -> Response:
    """The queue: filtered, searched, sorted, paged 50 at a time (issue 10: a flood of
    requests hid everything older). The reader's scope is in the query, so neither rows
    nor counts show special category rows to anyone else (db/queues.py)."""
    person = officer(request)
    store, number = request.app.state.store, page_number(request)
    chosen = queue.choose(list(request.query_params.multi_items()))
    scope, my_teams = await reader_scope(request, person)
    wanted = queue.queue_filter(chosen, person.id, my_teams)

    forms = request.app.state.forms

    def listed(page: int) -> Any:
        if chosen.due:
            return store.read(queue.due_page, forms, scope, wanted, chosen.due, PAGE_SIZE,
                              (page - 1) * PAGE_SIZE)
        return store.read(queues.page, scope, wanted, PAGE_SIZE, (page - 1) * PAGE_SIZE)

    found = await listed(number)
    pages = max(1, -(-found.total // PAGE_SIZE))
    if number > pages:  # past the end (the list shrank): show the last page
        number = pages
        found = await listed(number)
    code = locale_of(request)
    text = i18n.Gettext(code)
    rows = [r for r in found.rows if may_read(person.role, r.service, r.special_category)]
    incomplete = await store.read(sync_slots.incomplete, [r.id for r in rows])
    # Raised by a rule (issue 12): shown in the queue until an officer marks it done.
    alerts = await store.read(rules_db.with_open_task, [r.id for r in rows], "duty_alert")
    clocks = await store.read(sla.for_requests, forms, rows)
    views = await saved_views_with_counts(request, person, scope, my_teams)
    first = (number - 1) * PAGE_SIZE + 1
    query = chosen.query()
    return renderer(request).render(request, "staff/inbox.html", {
        "rows": rows, "chosen": chosen, "status_label": lambda s: status_label(s, code, True),
        "service_name": lambda s: text.gettext(service_text(s).name),
        "flag_tag": lambda f: text.gettext(casework.FLAG_TAGS.get(f, f)),
        "statuses": list(STATUS), "service": scope.service, "incomplete": incomplete,
        "duty_alerts": alerts, "tools": navigation.visible(request, navigation.INBOX_TOOLS),
        "clocks": clocks, "due_tag": lambda c: text.gettext(DUE_TAGS[c.state])
        if c.state in DUE_TAGS else "",
        "priorities": assignment.PRIORITIES, "views": views, "query": query,
        "priority_label": lambda p: text.gettext(assignment.PRIORITIES.get(p, p)),
        "teams": await store.read(assignment.teams_for, scope.service),
        "paging": {"page": number, "pages": pages, "total": found.total, "first": first,
                   "last": first + len(found.rows) - 1,
                   "query": f"{query}&" if query else ""}},
        block="main")


async def reader_scope(request: Request, person: Person) -> tuple[queues.Scope, list[str]]:
    """What this officer may list (their service; special category or not), and their
    teams (for "my team")."""
    scope = queues.Scope(SERVICE_OF_ROLE[person.role], reads_special_category(person.role))
    return scope, await request.app.state.store.read(teams_db.teams_of, person.id)


async def saved_views_with_counts(request: Request, person: Person, scope: queues.Scope,
                                  my_teams: list[str]) -> list[dict[str, Any]]:
    store = request.app.state.store
    views = await store.read(saved_views.for_staff, person.id)
    chosen = [queue.from_query(v.query) for v in views]
    filters = [(queue.queue_filter(c, person.id, my_teams), c.due) for c in chosen]
    counted = await store.read(queue.view_counts, request.app.state.forms, scope, filters)
    return [{"id": v.id, "name": v.name, "query": queue.from_query(v.query).query(),
             "count": n} for v, n in zip(views, counted, strict=True)]


async def readable(request: Request, person: Person,
                   file_id: str | None = None) -> requests_db.StoredRequest:
    """The request in the path if this officer may read it; the read (of the record, or
    of one of its files) audited when it is special category, a refusal always."""
    store = request.app.state.store
    request_id = request.path_params["request_id"]
    found = await store.read(requests_db.by_id, request_id)
    if found is None:
        raise NotFound()
    allowed = may_read(person.role, found.service, found.special_category)
    if not allowed or found.special_category:
        await store.write(casework.read_for_staff, request_id, person.actor, allowed, file_id)
    if not allowed:
        raise Forbidden()
    return found


async def request_page(request: Request, errors: dict | None = None,
                       status_code: int = 200, posted: dict[str, str] | None = None,
                       stale: requests_db.StoredRequest | None = None) -> Response:
    """`posted`: what the officer chose and typed, kept when it is shown with errors.
    `stale`: their form was rendered before another change (shown, with what changed)."""
    person = officer(request)
    found = stale or await readable(request, person)
    code = locale_of(request)
    text = i18n.Gettext(code)
    view = await request_view(request.app.state.store, request.app.state.forms, found, code,
                              for_staff=True)
    # The first event is always "created": the acknowledgement hangs on it.
    created = view["events"][0]["id"] if view["events"] else None
    messages = await request.app.state.store.read(deliveries.staff_view, found, code, created)
    for event in view["events"]:
        event["deliveries"] = messages["deliveries"].get(event["id"], [])
    service_title = i18n.Gettext(found.locale).gettext(view["journey_title"])
    replies = await request.app.state.store.read(replies_for, found, service_title,
                                                 view["clock"], code)
    seen = (posted or {}).get("seen", "")
    changed = [e for e in view["events"] if seen.isdigit() and e["id"] > int(seen)]
    who = await request.app.state.store.read(assignment.assignment_view, found, person.id,
                                             person.role)
    # Possible duplicates (issue 12): the links at either end, and the request's tags.
    links = await request.app.state.store.read(duplicates_db.links_of, found.id)
    tags = await request.app.state.store.read(rules_db.tags_of, found.id)
    # Field work (issue 14): visits and notes on the timeline, conflicts to resolve.
    field = await request.app.state.store.read(field_conflicts.field_work, found.id, code)
    return renderer(request).render(request, "staff/request.html", {
        **view, **who, "duplicate_links": links, "tags": tags,
        "events": field_timeline.merged(view["events"], field["field_events"]),
        "conflicts": field["conflicts"], "case_version": field["case_version"],
        "may_resolve": person.role in MANAGERS,
        "resolved": request.query_params.get("resolved") == "1",
        "stale": stale is not None, "changed": changed,
        "last_event": view["events"][-1]["id"] if view["events"] else 0,
        "priority_label": lambda p: text.gettext(assignment.PRIORITIES.get(p, p)),
        "file_base": f"/staff/requests/{found.id}/files", "messages": messages,
        "replies": replies, "sla_state": SLA_STATES,
        "status_label": lambda s: status_label(s, code, True), "statuses": list(STATUS),
        "outcome_label": lambda o: outcome_label(o, code), "outcomes": OFFICER_OUTCOMES,
        "flag_text": lambda f: text.gettext(casework.FLAG_NOTICES.get(f, f)),
        "posted": posted or {}, "errors": errors or {}, "has_errors": bool(errors)},
        status_code=status_code)


async def use_template(request: Request, template_id: str, outcome: str) -> Response:
    """Without JavaScript, "Use this template" shows the form again with the template's
    words in the message and its status chosen, for the officer to edit and send."""
    person = officer(request)
    found = await readable(request, person)
    code = locale_of(request)
    view = await request_view(request.app.state.store, request.app.state.forms, found, code,
                              for_staff=True)
    title = i18n.Gettext(found.locale).gettext(view["journey_title"])
    replies = await request.app.state.store.read(replies_for, found, title, view["clock"],
                                                 code)
    chosen = next((r for r in replies if r.id == template_id), None)
    if chosen is None:
        return await request_page(request, {"template": {
            "field": "template", "message": i18n.Gettext(code).gettext(CHOOSE_TEMPLATE)}}, 400)
    return await request_page(request, None, 200, {"status": chosen.status, "outcome": outcome,
                                                   "message": chosen.text,
                                                   "template": chosen.id})


async def change_status(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    form = await request.form()
    status, outcome = str(form.get("status", "")), str(form.get("outcome", ""))
    if form.get("use_template"):
        return await use_template(request, str(form.get("template", "")), outcome)
    message = clean_text(str(form.get("message", "")), multiline=True)[:NOTE_MAX]
    problem = casework.status_change_problem(found.status, status, outcome, message)
    if problem is not None:
        text = i18n.Gettext(locale_of(request))
        return await request_page(request, {problem.field: {
            "field": problem.field, "message": text.gettext(problem.message)}}, 400,
            {"status": status, "outcome": outcome, "message": message})
    notices = request.app.state.notices

    def apply(db: Any) -> assignment.Outcome:
        return assignment.unless_changed(db, found.id, version_of(form), lambda _current: (
            casework.change_status(db, found.id, status, message, person.actor, notices,
                                   outcome)))

    done = await request.app.state.store.write(apply)
    if isinstance(done, assignment.Stale):
        return await request_page(request, status_code=409, stale=done.current, posted={
            k: str(v) for k, v in form.items()})
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)


def version_of(form: Any) -> int | None:
    """The version the form was rendered with: None when it sent none (no check), one
    no request has when it is not a number."""
    raw = str(form.get("version", ""))
    if raw == "":
        return None
    return int(raw) if raw.isdigit() else -1


async def mark_seen(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    await request.app.state.store.write(casework.mark_seen, found.id, person.actor)
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)


async def add_note(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    form = await request.form()
    note = clean_text(str(form.get("note", "")), multiline=True)[:NOTE_MAX]
    if not note:
        text = i18n.Gettext(locale_of(request))
        return await request_page(request, {"note": {"field": "note", "message":
                                  text.gettext("Enter a note")}}, 400)
    await request.app.state.store.write(casework.add_note, found.id, note, person.actor)
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)


async def finish_task(request: Request) -> Response:
    person = officer(request)
    found = await readable(request, person)
    try:
        task_id = int(request.path_params["task_id"])
    except ValueError:
        raise NotFound() from None
    if not await request.app.state.store.write(request_tasks.finish, found.id, task_id,
                                               person.actor):
        raise NotFound()
    return RedirectResponse(f"/staff/requests/{found.id}", status_code=303)
