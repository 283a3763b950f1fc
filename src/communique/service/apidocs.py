"""``/docs``: the OpenAPI description rendered as a plain HTML reference.

FastAPI's own Swagger and ReDoc pages load their scripts from a CDN; this page
is rendered on the server from the same ``/openapi.json`` and needs nothing
from outside.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

_METHODS = ("get", "post", "put", "patch", "delete")
# runnable examples shown under an operation, by path
EXAMPLES = {
    "/api/v1/search": ["/api/v1/search?q=terrorism&limit=5", "/api/v1/search?q=外交部长&lang=zh"],
    "/api/v1/documents": ["/api/v1/documents?limit=10", "/api/v1/documents?lang=en&from=2005"],
    "/api/v1/documents/{doc_id}": ["/api/v1/documents/1"],
    "/api/v1/health": ["/api/v1/health"],
}


def type_of(schema: dict[str, Any] | None) -> str:
    """A schema as a short type expression: ``string | null``, ``array of Hit``."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_of(s) for s in schema[key])
    kind = schema.get("type")
    if kind == "array":
        return f"array of {type_of(schema.get('items'))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {type_of(schema['additionalProperties'])}"
    return str(kind or "any")


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                {
                    "name": p["name"],
                    "in": p.get("in", ""),
                    "type": type_of(p.get("schema")),
                    "required": bool(p.get("required")),
                    "default": (p.get("schema") or {}).get("default"),
                    "description": p.get("description")
                    or (p.get("schema") or {}).get("description"),
                }
                for p in op.get("parameters", [])
            ]
            responses = []
            for status, resp in op.get("responses", {}).items():
                schema = ((resp.get("content") or {}).get("application/json") or {}).get("schema")
                responses.append(
                    {
                        "status": status,
                        "description": resp.get("description", ""),
                        "type": type_of(schema) if schema else None,
                    }
                )
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "responses": responses,
                    "examples": EXAMPLES.get(path, []),
                    "anchor": f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}",
                }
            )
    return out


def schemas(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        if name in ("HTTPValidationError", "ValidationError"):
            continue
        required = set(schema.get("required", []))
        fields = [
            {
                "name": field,
                "type": type_of(sub),
                "required": field in required,
                "description": sub.get("description", ""),
            }
            for field, sub in schema.get("properties", {}).items()
        ]
        out.append({"name": name, "description": schema.get("description", ""), "fields": fields})
    return out


@router.get("/docs", response_class=HTMLResponse)
def api_reference(request: Request) -> HTMLResponse:
    from communique.service.pages import templates

    spec = request.app.openapi()
    context = {
        "title": "API · communique",
        "spec": spec,
        "operations": operations(spec),
        "schemas": schemas(spec),
    }
    return templates.TemplateResponse(request, "apidocs.html", context)
