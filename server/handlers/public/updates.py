"""Stopping updates without signing in (the link in every email, and the one-click stop
mail apps offer from List-Unsubscribe), and the short links texts carry."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from server.db import requests as requests_db
from server.db import tracking_links, update_choices
from server.errors import NotFound
from server.notify import links
from server.rendering import renderer


async def _stop_target(request: Request) -> tuple[requests_db.StoredRequest, str, str]:
    settings = request.app.state.settings
    target = links.read_stop_token(settings, request.path_params["token"])
    found = await request.app.state.store.read(requests_db.by_id, target[0]) \
        if target else None
    recipient = None
    if found is not None and target is not None:
        recipient = found.contact_email if target[1] == "email" else found.contact_phone
    if found is None or target is None or not recipient:
        raise NotFound()
    return found, target[1], recipient


async def stop_page(request: Request) -> Response:
    """Opening the link only asks (mail scanners open links); the button stops."""
    found, channel, recipient = await _stop_target(request)
    stopped = await request.app.state.store.read(update_choices.stopped, channel, recipient,
                                                 found.id)
    response = renderer(request).render(request, "updates/stop.html", {
        "found": found, "channel": channel, "stopped": stopped})
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def stop(request: Request) -> Response:
    found, channel, recipient = await _stop_target(request)
    form = await request.form()
    # RFC 8058: a mail app's one-click stop posts List-Unsubscribe=One-Click.
    source = "one_click" if form.get("List-Unsubscribe") == "One-Click" else "stop_link"
    await request.app.state.store.write(update_choices.stop, channel, recipient, found.id,
                                        source)
    response = renderer(request).render(request, "updates/stop.html", {
        "found": found, "channel": channel, "stopped": True})
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def short_link(request: Request) -> Response:
    """`/r/<code>` from a text: on to the request's page."""
    settings = request.app.state.settings
    code = links.read_code(request.path_params["code"])
    found = await request.app.state.store.read(requests_db.by_reference, code.reference) \
        if code else None
    link = await request.app.state.store.read(tracking_links.for_request, found.id) \
        if found else None
    if link is None or code is None or not code.matches(settings, links.SHORT_TRACKING,
                                                         links.short_subject(link)):
        raise NotFound()
    # An expired link is refused where it lands (handlers/public/track.py).
    response = RedirectResponse(links.request_page(settings, link), status_code=303)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
