"""The web service: a JSON API under ``/api/v1`` and server-rendered pages over one store.

``create_app(db)`` builds the FastAPI application; ``communique serve`` runs it
with uvicorn.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique import __version__
from communique.auth import FailureLimiter
from communique.service import uploads
from communique.service.api import router as api_router
from communique.service.api_link import router as api_link_router
from communique.service.api_write import router as api_write_router
from communique.service.apidocs import router as apidocs_router
from communique.service.data import StoreProvider
from communique.service.pages import STATIC_DIR, error_page
from communique.service.pages import router as pages_router
from communique.service.pages_link import router as pages_link_router

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def create_app(
    db: str | Path,
    *,
    upload_folder: str | Path | None = None,
    max_file_bytes: int = uploads.MAX_FILE_BYTES,
    max_request_bytes: int = uploads.MAX_REQUEST_BYTES,
    max_files: int = uploads.MAX_FILES,
    auth_failures: int = 10,
    auth_window: float = 60.0,
    cors_origins: list[str] | None = None,
) -> FastAPI:
    """The application over the store at ``db`` (opened lazily, one connection per thread).

    Uploaded files are kept in ``upload_folder`` (default: ``<db>.uploads`` beside
    the database). A client with ``auth_failures`` wrong tokens within
    ``auth_window`` seconds gets 429 until the window has passed. CORS is off
    unless ``cors_origins`` lists the origins allowed to read the API.
    """
    stores = StoreProvider(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        title="communique",
        version=__version__,
        description=(
            "Official documents of intergovernmental organizations, searchable in English, "
            "Chinese and Russian; every extracted value points back to its sentence and span."
        ),
        lifespan=lifespan,
        # Swagger UI and ReDoc load scripts from a CDN; /docs is rendered here instead
        docs_url=None,
        redoc_url=None,
    )
    app.state.stores = stores
    app.state.auth_limiter = FailureLimiter(auth_failures, auth_window)
    app.state.upload_settings = uploads.UploadSettings(
        folder=Path(upload_folder) if upload_folder else uploads.default_upload_folder(db),
        max_file_bytes=max_file_bytes,
        max_files=max_files,
        max_request_bytes=max_request_bytes,
    )
    app.include_router(api_router)
    app.include_router(api_link_router)
    app.include_router(api_write_router)
    app.include_router(pages_router)
    app.include_router(pages_link_router)
    app.include_router(apidocs_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(
        uploads.BodyLimit, paths=("/api/v1/documents", "/upload"), limit=max_request_bytes
    )
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
        )
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path in ("/openapi.json",)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404 and message == "Not Found":
        message = f"not found: {request.url.path}"
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        # one path may be served by several routes (GET here, POST there): name them all
        headers = {**(headers or {}), "Allow": ", ".join(_allowed(request))}
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=headers)
    return error_page(request, exc.status_code, message)


def _allowed(request: Request) -> list[str]:
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    message = "; ".join(_describe(e) for e in exc.errors()) or "invalid request"
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=422)
    return error_page(request, 422, message)


def _describe(error: dict) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
    where = ".".join(loc)
    msg = str(error.get("msg", "invalid"))
    return f"{where}: {msg}" if where else msg


async def _server_error(request: Request, exc: Exception) -> Response:
    # the traceback goes to the log, never to the client
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if _wants_json(request):
        return JSONResponse({"error": "internal server error"}, status_code=500)
    return error_page(request, 500, "Something went wrong on our side.")


__all__ = ["create_app"]
