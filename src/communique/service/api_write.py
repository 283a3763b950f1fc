"""The API's writes: upload, delete, re-extract. Each needs ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from communique.service import uploads
from communique.service.models import (
    Deleted,
    ErrorResponse,
    Reextracted,
    UploadResponse,
)

router = APIRouter(prefix="/api/v1", tags=["writes (token)"])

_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "No token, or an invalid or revoked one."},
    429: {
        "model": ErrorResponse,
        "description": "Too many failed token attempts; see Retry-After.",
    },
}
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": "One or more .txt, .md, .html, .htm, .pdf, .docx files.",
                        }
                    },
                }
            }
        },
    }
}


def _storable(doc_id: int) -> bool:
    """Whether an id fits the store's 64-bit integers (no larger one can name a document)."""
    return -(2**63) < doc_id < 2**63


def _settings(request: Request) -> uploads.UploadSettings:
    return request.app.state.upload_settings


@router.post(
    "/documents",
    response_model=UploadResponse,
    summary="Upload documents (multipart field 'files'); one result per file",
    responses={
        **_AUTH,
        413: {"model": UploadResponse, "description": "Every file (or the request) is too big."},
        415: {"model": UploadResponse, "description": "No file is of an accepted type."},
        422: {"model": ErrorResponse, "description": "No file in the form."},
    },
    openapi_extra=_UPLOAD_BODY,
)
async def upload(request: Request) -> JSONResponse:
    # the token is checked before the body is read: a stranger's upload is not even spooled
    uploads.check_token(request, uploads.bearer(request))
    settings = _settings(request)
    incoming, _ = await uploads.receive(request, settings)
    results = await run_in_threadpool(_ingest, request, incoming, settings)
    body = UploadResponse(
        results=[r.to_dict() for r in results],  # type: ignore[misc]
        counts=uploads.counts(results),
    )
    return JSONResponse(body.model_dump(), status_code=uploads.status_of(results))


def _ingest(
    request: Request, incoming: list[uploads.Incoming], settings: uploads.UploadSettings
) -> list[uploads.Incoming]:
    store = request.app.state.stores.get()
    return uploads.ingest(store, incoming, settings)


@router.delete(
    "/documents/{doc_id}",
    response_model=Deleted,
    summary="Delete a document and everything read out of it",
    responses={**_AUTH, 404: {"model": ErrorResponse, "description": "No such document."}},
)
def delete_document(request: Request, doc_id: int) -> Deleted:
    uploads.check_token(request, uploads.bearer(request))
    store = request.app.state.stores.get()
    if not _storable(doc_id) or not uploads.delete(store, doc_id, _settings(request)):
        raise HTTPException(404, f"no document with id {doc_id}")
    return Deleted(deleted=doc_id)


@router.post(
    "/documents/{doc_id}/reextract",
    response_model=Reextracted,
    summary="Read the document's source file again with the current extractors",
    description=(
        "The document is stored anew from its source file; its id may change "
        "(the answer gives the id it has now)."
    ),
    responses={
        **_AUTH,
        404: {"model": ErrorResponse, "description": "No such document."},
        409: {"model": ErrorResponse, "description": "The source file is gone or has changed."},
    },
)
def reextract(request: Request, doc_id: int) -> Reextracted:
    uploads.check_token(request, uploads.bearer(request))
    store = request.app.state.stores.get()
    if not _storable(doc_id):
        raise HTTPException(404, f"no document with id {doc_id}")
    try:
        new_id = uploads.reextract(store, doc_id)
    except LookupError:
        raise HTTPException(404, f"no document with id {doc_id}") from None
    except ValueError as exc:
        raise HTTPException(409, str(exc)) from None
    return Reextracted(document_id=new_id, previous_id=doc_id, status="reextracted")
