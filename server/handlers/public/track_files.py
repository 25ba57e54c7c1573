"""A tracked request's files, through its signed link: the way residents open what they
sent (from the tracking page and from their account). Sent by web/downloads.py only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.casework import actions as casework
from server.casework import files
from server.casework.status import quick_exit
from server.handlers.public.track import RESIDENT, tracked
from server.rendering import renderer
from server.web.downloads import stored_file


async def file_page(request: Request) -> Response:
    """The full view: the image (or the document's name) and a link to download it."""
    found = await tracked(request)
    store = request.app.state.store
    shown = await files.request_file(store, found.id,
                                     files.file_id(request.path_params["file_id"]))
    if found.special_category:
        await store.write(casework.read_by_resident, found, RESIDENT, shown.id)
    base = f"/track/{request.path_params['token']}"
    return renderer(request).render(request, "requests/file.html", {
        "file": shown, "file_base": f"{base}/files", "back_url": base,
        "quick_exit": quick_exit(found.service)})


async def file_download(request: Request) -> Response:
    found = await tracked(request)
    store = request.app.state.store
    file_id = files.file_id(request.path_params["file_id"])
    content = await files.file_content(store, found.id, file_id,
                                       request.path_params["variant"])
    if found.special_category:
        await store.write(casework.read_by_resident, found, RESIDENT, file_id)
    return stored_file(content.data, content.filename, content.media_type)
