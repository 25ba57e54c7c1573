"""Issue 15, item 8: hub staff and field workers were shown an "Inbox" link that answered
403 (and each click was audited as refused). The header is now built from the route table:
for every role, every link in it opens, followed with that person's own session."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from server.auth import roles
from server.db import audit
from server.handlers.account.passkeys import landing
from server.web import navigation
from tests.test_roles_table import ANON, WHO, client_for, every_role

HEADER = re.compile(r'<nav class="tb-header-links".*?</nav>', re.DOTALL)
LINK = re.compile(r'<a [^>]*href="([^"]+)"')


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    yield from every_role(tmp_path_factory)


def header_links(html: str) -> list[str]:
    found = HEADER.search(html)
    assert found, "no header navigation on the page"
    return LINK.findall(found.group(0))


def home_pages(who: str) -> list[str]:
    if who == ANON:
        return ["/"]
    kind = "resident" if who == roles.RESIDENT else "staff"
    return sorted({"/", landing(kind, who)})


@pytest.mark.parametrize("who", WHO)
def test_every_header_link_opens_for_whoever_is_shown_it(world: dict[str, Any], who: str):
    client = client_for(world, who)
    refused_before = sum(e.action == "access_refused"
                         for e in world["store"].read_sync(audit.entries, 10_000))
    for home in home_pages(who):
        page = client.get(home)
        assert page.status_code == 200, (home, page.status_code)
        links = header_links(page.text)
        assert links, f"{who} sees no links on {home}"
        for href in links:
            opened = client.get(href, follow_redirects=False)
            assert opened.status_code == 200, f"{who} on {home}: {href} -> {opened.status_code}"
    refused_after = sum(e.action == "access_refused"
                        for e in world["store"].read_sync(audit.entries, 10_000))
    assert refused_after == refused_before


@pytest.mark.parametrize("who", [roles.HUB_STAFF, roles.FIELD_WORKER])
def test_staff_without_an_inbox_are_not_offered_one(world: dict[str, Any], who: str):
    links = header_links(client_for(world, who).get("/").text)
    assert "/staff/inbox" not in links and "/account" in links


def test_each_role_sees_the_links_its_routes_allow(world: dict[str, Any]):
    seen = {who: set(header_links(client_for(world, who).get("/").text)) for who in WHO}
    assert seen[ANON] == {"/services", "/track", "/sign-in"}
    assert seen[roles.RESIDENT] == {"/services", "/track", "/account"}
    assert seen[roles.PLANNING_OFFICER] == {"/services", "/track", "/staff/inbox", "/account"}
    # Issue 13: hub staff have their hub's view (admins reach it from the admin page).
    assert seen[roles.HUB_STAFF] == {"/services", "/track", "/staff/hub", "/account"}
    # Issue 14: conflicts from the field for supervisors (managers and admins).
    assert seen[roles.ADMIN] == {"/services", "/track", "/staff/inbox", "/staff/dashboard",
                                 "/staff/conflicts", "/admin", "/account"}
    # Issue 12: the dashboard is for managers (their service) and admins.
    assert seen[roles.PLANNING_MANAGER] == {"/services", "/track", "/staff/inbox",
                                            "/staff/dashboard", "/staff/conflicts", "/account"}


def test_every_link_names_a_route_in_the_table(world: dict[str, Any]):
    """A typo in a route name would hide its link from everyone, silently."""
    names = {getattr(r, "name", None) for r in world["app"].routes}
    # Devices: linked when its route is in the table (issue 10 adds it).
    optional = {"admin_devices"}
    named = [link.route for link in (*navigation.HEADER, *navigation.ADMIN)]
    assert not [n for n in named if n not in names and n not in optional]


PAGE_LINK = re.compile(r'<a [^>]*href="(/[^"]*)"')


@pytest.mark.parametrize("who", WHO)
def test_no_link_on_a_persons_own_pages_is_refused_to_them(world: dict[str, Any], who: str):
    """The same fault beyond the header: every link on the pages a person lands on and is
    offered (home, their account, the inbox and admin home where they may open them)."""
    client = client_for(world, who)
    refused, seen = [], set()
    for start in [*home_pages(who), "/account", "/staff/inbox", "/admin"]:
        page = client.get(start, follow_redirects=False)
        if page.status_code != 200:
            continue
        for href in PAGE_LINK.findall(page.text):
            if href in seen or href.startswith(("/language/", "/static/")):
                continue
            seen.add(href)
            status = client.get(href, follow_redirects=False).status_code
            if status >= 400:
                refused.append(f"{start}: {href} -> {status}")
    assert not refused, refused
