"""Saved views of the inbox, and bulk changes to ticked requests: checked first (what
will change, to which requests), then applied in one transaction, each request's change
on its timeline, and any skipped saying why."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server import i18n
from server.auth.access import MANAGERS
from server.casework import assignment, queue
from server.db import queues, saved_views
from server.errors import NotFound
from server.forms.normalise import clean_text
from server.handlers.staff.requests import officer, reader_scope
from server.rendering import locale_of, renderer

VIEW_NAME_MAX = 60
BULK_MAX = 50  # a page of the inbox


async def save_view(request: Request) -> Response:
    person = officer(request)
    form = await request.form()
    name = clean_text(str(form.get("name", "")))[:VIEW_NAME_MAX]
    query = queue.from_query(str(form.get("query", ""))).query()
    if not name:
        text = i18n.Gettext(locale_of(request))
        return renderer(request).render(request, "staff/problem.html", {
            "message": text.gettext("Enter a name for the view"),
            "back": f"/staff/inbox?{query}"}, status_code=400)
    await request.app.state.store.write(saved_views.save, person.id, name, query)
    return RedirectResponse(f"/staff/inbox?{query}", status_code=303)


async def delete_view(request: Request) -> Response:
    person = officer(request)
    try:
        view_id = int(request.path_params["view_id"])
    except ValueError:
        raise NotFound() from None
    if not await request.app.state.store.write(saved_views.delete, person.id, view_id):
        raise NotFound()
    return RedirectResponse("/staff/inbox", status_code=303)


async def bulk(request: Request) -> Response:
    """Without `confirm`: the check-your-changes page. With it: the changes, applied."""
    person = officer(request)
    form = await request.form()
    text = i18n.Gettext(locale_of(request))
    ids = list(dict.fromkeys(str(i) for i in form.getlist("ids")))[:BULK_MAX]
    action = assignment.bulk_action(str(form.get("action", "")))
    scope, _teams = await reader_scope(request, person)
    store = request.app.state.store
    found = await store.read(queues.by_ids, scope, ids)
    if not found or action is None:
        return renderer(request).render(request, "staff/problem.html", {
            "message": text.gettext("Tick at least one request, and choose what to do"),
            "back": "/staff/inbox"}, status_code=400)
    message, variables = await store.read(assignment.describe_bulk, action)
    what = text.gettext(message, **{k: text.gettext(v) for k, v in variables.items()})
    if form.get("confirm") != "yes":
        return renderer(request).render(request, "staff/bulk_check.html", {
            "rows": found, "action": str(form.get("action")), "what": what})
    versions = {i: int(v) for i in ids
                if (v := str(form.get(f"version-{i}", ""))).isdigit()}
    results = await store.write(assignment.apply_bulk, found, versions, person.role,
                                person.id, action, request.app.state.notices)
    return renderer(request).render(request, "staff/bulk_done.html", {
        "results": results, "why": lambda r: text.gettext(r.why) if r.why else "",
        "what": what})


async def workload(request: Request) -> Response:
    person = officer(request)
    scope, _teams = await reader_scope(request, person)
    store = request.app.state.store
    load = await store.read(assignment.workload, scope.service, scope.special_category)
    overdue = await store.read(queue.overdue_load, request.app.state.forms, scope)
    return renderer(request).render(request, "staff/workload.html", {
        **load, "overdue": overdue, "may_change_teams": person.role in MANAGERS})


async def team_member(request: Request) -> Response:
    """Add (`staff` posted) or remove (`remove` posted) a member of a team: a manager of
    the team's service, or an admin."""
    person = officer(request)
    form = await request.form()
    scope, _teams = await reader_scope(request, person)
    refused = await request.app.state.store.write(
        assignment.change_membership, request.path_params["team_id"],
        str(form.get("staff", "")), scope.service, person.actor, form.get("remove") is None)
    if refused is not None:
        text = i18n.Gettext(locale_of(request))
        return renderer(request).render(request, "staff/problem.html", {
            "message": text.gettext(refused.message), "back": "/staff/workload"},
            status_code=400)
    return RedirectResponse("/staff/workload", status_code=303)
