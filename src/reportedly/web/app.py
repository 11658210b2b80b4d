"""FastAPI app: `reportedly serve`. Pages render server-side (no script needed); /api/* speaks JSON.

URLs given to the server are fetched with the same guards as the CLI (no private addresses,
size and time caps); the server never fetches what a page asks it to unless a user submitted it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import FastAPI, Form, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from starlette.requests import Request

from ..errors import InputError
from ..model import json_schema

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
MAX_TEXT = 2 * 1024 * 1024


class AnalyzeRequest(BaseModel):
    text: Optional[str] = None
    url: Optional[str] = None
    published: Optional[str] = None


def _analyze(text: str | None, url: str | None, published: str | None):
    import datetime as dt

    from ..api import analyze

    if published:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            raise InputError(f"{published!r} is not a date: use YYYY-MM-DD") from None
    if text and text.strip():
        if len(text) > MAX_TEXT:
            raise InputError(f"too large: more than {MAX_TEXT} characters")
        data = text.encode("utf-8")
        return analyze(data, published=published or None, url=url or None)
    if url and url.strip():
        if not url.startswith(("http://", "https://")):
            raise InputError("only http and https URLs are fetched")
        return analyze(url.strip(), published=published or None)
    raise InputError("give the article text or its URL")


def create_app(db_url: str | None = None) -> FastAPI:
    app = FastAPI(title="reportedly", description="Reads news the way a fact-checker does.", version="0.1.0")

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        return TEMPLATES.TemplateResponse(request, "home.html", {"error": None, "form": {}})

    @app.post("/analyze", response_class=HTMLResponse)
    def analyze_form(request: Request, text: str = Form(""), url: str = Form(""), published: str = Form("")):
        try:
            report = _analyze(text, url, published)
        except InputError as exc:
            form = {"text": text, "url": url, "published": published}
            return TEMPLATES.TemplateResponse(request, "home.html", {"error": str(exc), "form": form}, status_code=422)
        from ..render.html import render_html

        return HTMLResponse(render_html([report]))

    @app.post("/api/analyze")
    def analyze_api(req: AnalyzeRequest):
        try:
            report = _analyze(req.text, req.url, req.published)
        except InputError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        return JSONResponse(report.to_dict())

    @app.get("/api/schema")
    def schema():
        return json_schema()

    def _ledger():
        from ..ledger.store import Ledger

        return Ledger(db_url)

    @app.get("/claims", response_class=HTMLResponse)
    def claims_page(request: Request, q: str = ""):
        with _ledger() as ledger:
            rows = ledger.claims(q or None)
        return TEMPLATES.TemplateResponse(request, "claims.html", {"rows": rows, "q": q})

    @app.get("/claims/{claim_id}", response_class=HTMLResponse)
    def claim_page(request: Request, claim_id: int):
        with _ledger() as ledger:
            claim = ledger.claim(claim_id)
        if claim is None:
            raise HTTPException(status_code=404, detail=f"no claim {claim_id}")
        return TEMPLATES.TemplateResponse(request, "claim.html", {"c": claim})

    @app.get("/api/claims")
    def claims_api(q: str = ""):
        with _ledger() as ledger:
            return ledger.claims(q or None)

    @app.get("/api/claims/{claim_id}")
    def claim_api(claim_id: int):
        with _ledger() as ledger:
            claim = ledger.claim(claim_id)
        if claim is None:
            raise HTTPException(status_code=404, detail=f"no claim {claim_id}")
        return claim

    return app
