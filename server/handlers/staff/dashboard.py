"""The dashboard of managers (their service) and admins (every service, special
category requests counted but never listed), and its figures and requests as CSV."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server import i18n
from server.auth.access import SERVICE_OF_ROLE, reads_special_category
from server.casework import dashboard
from server.handlers.staff.requests import officer
from server.journeys.catalogue import service_text
from server.rendering import locale_of, renderer
from server.web import charts


async def dashboard_page(request: Request) -> Response:
    person = officer(request)
    found = await request.app.state.store.read(
        dashboard.figures, request.app.state.forms, SERVICE_OF_ROLE[person.role])
    text = i18n.Gettext(locale_of(request))
    labels = [i18n.format_date(w, locale_of(request), "medium") for w in found.weeks]
    channels = found.channel_totals()
    return renderer(request).render(request, "staff/dashboard.html", {
        "found": found, "weeks": labels, "totals": found.weekly_totals(),
        "volume_chart": charts.columns(found.weekly_totals(), labels),
        "channel_chart": charts.rows(list(channels.values()),
                                     [text.gettext(dashboard.CHANNELS[c]) for c in channels]),
        "channels": channels, "channel_label": lambda c: text.gettext(dashboard.CHANNELS[c]),
        "service_name": lambda s: text.gettext(service_text(s).name)})


def _csv(body: str, name: str) -> Response:
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


async def figures_csv(request: Request) -> Response:
    person = officer(request)
    found = await request.app.state.store.read(
        dashboard.figures, request.app.state.forms, SERVICE_OF_ROLE[person.role])
    return _csv(dashboard.figures_csv(found), "dashboard-figures")


async def requests_csv(request: Request) -> Response:
    person = officer(request)
    body = await request.app.state.store.read(
        dashboard.requests_csv, request.app.state.forms, SERVICE_OF_ROLE[person.role],
        reads_special_category(person.role))
    return _csv(body, "dashboard-requests")
