from starlette.requests import Request
from starlette.responses import JSONResponse

from server.db import catalogue


async def healthz(request: Request) -> JSONResponse:
    try:
        health = await request.app.state.store.read(catalogue.health)
    except Exception as exc:  # any database failure means "not healthy", never a 500
        return JSONResponse({"status": "error", "database": type(exc).__name__}, 503)
    ok = health.reachable and health.migrations_current
    return JSONResponse({
        "status": "ok" if ok else "error",
        "database": "ok",
        "migrations": "current" if health.migrations_current else "pending",
        "schema_version": health.schema_version,
    }, 200 if ok else 503)
