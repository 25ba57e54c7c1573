"""A request's files for its officers: the full view of a photo and the download of any
file (a preview is a download too). Read as the request is (handlers/staff/requests.py
`readable`: the officer's service only, special category reads and refusals audited);
sent by web/downloads.py only."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.casework import files
from server.casework.status import quick_exit
from server.handlers.staff.requests import officer, readable
from server.rendering import renderer
from server.web.downloads import stored_file


async def file_page(request: Request) -> Response:
    file_id = files.file_id(request.path_params["file_id"])
    found = await readable(request, officer(request), file_id)
    shown = await files.request_file(request.app.state.store, found.id, file_id)
    return renderer(request).render(request, "requests/file.html", {
        "file": shown, "file_base": f"/staff/requests/{found.id}/files",
        "back_url": f"/staff/requests/{found.id}", "quick_exit": quick_exit(found.service)})


async def file_download(request: Request) -> Response:
    file_id = files.file_id(request.path_params["file_id"])
    found = await readable(request, officer(request), file_id)
    content = await files.file_content(request.app.state.store, found.id, file_id,
                                       request.path_params["variant"])
    return stored_file(content.data, content.filename, content.media_type)
