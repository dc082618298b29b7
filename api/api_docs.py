"""The interactive API documentation (Swagger UI) from assets installed with the service
(the ``swagger-ui-bundle-v2`` package and ``api/docs_assets``), never a CDN, under a
Content-Security-Policy that allows nothing from elsewhere and no inline script."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

_INIT = Path(__file__).parent / "docs_assets" / "init.js"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Appeals API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>
"""

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs() -> HTMLResponse:
    return HTMLResponse(_PAGE, headers={"Content-Security-Policy": CSP})


@router.get("/docs/init.js")
def docs_init() -> FileResponse:
    return FileResponse(_INIT, media_type="text/javascript")


def install_docs(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/docs/assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")
