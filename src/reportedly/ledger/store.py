"""The claim ledger store: articles, claims and statements over SQLAlchemy (SQLite, PostgreSQL).

The schema is made and upgraded by the Alembic migrations in ``migrations/``, run when a ledger is
opened. Each article is stored in one transaction together with its statements and any claims they
open, so a run killed at any point leaves every article either wholly stored or absent, and the
claims consistent; running it again stores what is missing and nothing twice (an article is known
by its URL, else by the hash of its text).
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

import numpy as np
from sqlalchemy import (
    JSON, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Text, create_engine, event, select, update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from ..model import Report
from . import independence
from .claims import UNKNOWN_OUTLET, Features, featurise, generic_source, outlet_key, outlet_of, role_of, same_score, statements

DEFAULT_URL = "sqlite:///reportedly.db"
DISPUTE_REACH = 300  # characters after a denial where the denier's own account may follow
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def default_url() -> str:
    return os.environ.get("REPORTEDLY_DB") or DEFAULT_URL


def normalise_url(db: Optional[str]) -> str:
    """A SQLAlchemy URL; a bare path means a SQLite file; ``postgresql://`` uses psycopg 3."""
    db = db or default_url()
    if "://" not in db:
        return f"sqlite:///{db}"
    if db.startswith("postgresql://") or db.startswith("postgres://"):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "ledger_article"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[Optional[str]] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[Optional[str]] = mapped_column(Text)
    outlet: Mapped[Optional[str]] = mapped_column(Text)
    published: Mapped[Optional[str]] = mapped_column(String(10))
    input_path: Mapped[Optional[str]] = mapped_column(Text)
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    shingles: Mapped[int] = mapped_column(Integer)
    copy_group: Mapped[int] = mapped_column(Integer, index=True)
    report: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Claim(Base):
    __tablename__ = "ledger_claim"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    text_role: Mapped[str] = mapped_column(String(16))
    merged_into: Mapped[Optional[int]] = mapped_column(Integer, index=True)  # -> ledger_claim.id
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Mention(Base):
    __tablename__ = "ledger_mention"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("ledger_claim.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("ledger_article.id", ondelete="CASCADE"), index=True)
    attribution: Mapped[Optional[str]] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    norm: Mapped[str] = mapped_column(Text)
    pred: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    stance: Mapped[str] = mapped_column(String(16))
    negated: Mapped[bool] = mapped_column(Boolean)
    role: Mapped[str] = mapped_column(String(16))
    chain: Mapped[list] = mapped_column(JSON)
    cited_outlet: Mapped[Optional[str]] = mapped_column(Text)
    entities: Mapped[list] = mapped_column(JSON)
    words: Mapped[list] = mapped_column(JSON)
    date: Mapped[Optional[str]] = mapped_column(String(10))
    times: Mapped[list] = mapped_column(JSON)
    said_on: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)  # TIMEX3 value of the saying
    embedder: Mapped[str] = mapped_column(String(32))
    full_vec: Mapped[bytes] = mapped_column(LargeBinary)
    pred_vec: Mapped[bytes] = mapped_column(LargeBinary)


def _mention_columns() -> tuple:
    """The statement columns a claim's page reads (one list for its own statements and for disputes)."""
    return (Mention.id, Mention.claim_id, Mention.article_id, Mention.role, Mention.cited_outlet, Mention.date,
            Mention.chain, Mention.text, Mention.stance, Mention.attribution, Mention.times, Mention.said_on,
            Mention.start, Mention.end)


def _said_key(value: Optional[str]) -> Optional[str]:
    """A said-on value as a sortable day ("2023-08-15", "2022-09" -> "2022-09-01"), or None."""
    from ..read.times_values import interval

    stretch = interval(value)
    return stretch[0].date().isoformat() if stretch else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (programmatic Alembic, migrations from the package)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:  # a table rebuilt by a migration must not cascade deletes to the rows pointing at it
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _fk(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def article_key(report: Report) -> tuple[str, str]:
    """(key, content hash): the key is the hash of the URL when there is one, else of the text."""
    content = hashlib.sha256(report.text.encode("utf-8")).hexdigest()
    url = report.meta.url or report.input.url
    if url:
        u = re.sub(r"#.*$", "", url.strip())
        u = re.sub(r"^https?://(www\.)?", "", u, flags=re.I).rstrip("/")
        return hashlib.sha256(("url:" + u).encode("utf-8")).hexdigest(), content
    return hashlib.sha256(("text:" + content).encode("utf-8")).hexdigest(), content


def _vec(b: bytes) -> np.ndarray:
    return np.frombuffer(b, dtype="<f4").astype(np.float32)


def _blob(v: np.ndarray) -> bytes:
    return np.asarray(v, dtype="<f4").tobytes()


def cited_outlet(chain: list[dict]) -> Optional[str]:
    """The outermost outlet the article cites for a statement: whose reporting it relays."""
    for link in chain[1:]:
        if link.get("kind") == "outlet" and not generic_source(link["name"]):
            return link["name"]
    return None


@dataclass
class Stored:
    status: str  # "stored" or "present"
    article_id: int
    statements: int = 0
    new_claims: int = 0


class _Index:
    """Statements already in the ledger, in memory, for grouping new ones."""

    def __init__(self, dim: int = 0):
        self.claim_ids: list[int] = []
        self.feats: list[Features] = []
        self.full = np.zeros((0, dim), dtype=np.float32)

    def extend(self, claim_ids: list[int], feats: list[Features]) -> None:
        if not feats:
            return
        self.claim_ids.extend(claim_ids)
        self.feats.extend(feats)
        rows = np.stack([f.full for f in feats])
        self.full = rows if self.full.shape[0] == 0 else np.vstack([self.full, rows])

    def matches(self, f: Features) -> dict[int, float]:
        """Claim id -> best score, for every claim the statement states."""
        if not self.feats:
            return {}
        from .claims import FULL_WITH_EVIDENCE

        sims = self.full @ f.full
        out: dict[int, float] = {}
        for i in np.nonzero(sims >= FULL_WITH_EVIDENCE - 1e-6)[0]:
            s = same_score(f, self.feats[i])
            if s is not None and s > out.get(self.claim_ids[i], -1.0):
                out[self.claim_ids[i]] = s
        return out

    def remap(self, merged: dict[int, int]) -> None:
        self.claim_ids = [merged.get(c, c) for c in self.claim_ids]


def clusters(feats: list[Features]) -> list[list[int]]:
    """Statements of one article that state the same thing (single link), in text order."""
    parent = list(range(len(feats)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(feats)):
        for j in range(i + 1, len(feats)):
            if same_score(feats[i], feats[j]) is not None:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(feats)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


class Ledger:
    """An open claim ledger."""

    def __init__(self, url: Optional[str] = None, embedder: str = "wordllama"):
        self.url = normalise_url(url)
        self.embedder = embedder
        self.engine = make_engine(self.url)
        migrate(self.engine)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        self._index: Optional[_Index] = None
        self._copies: Optional[independence.CopyIndex] = None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- loading ------------------------------------------------------------------------------
    def _load(self) -> None:
        if self._index is not None:
            return
        index, copies = _Index(), independence.CopyIndex()
        with self.Session() as s:
            for aid, blob, n in s.execute(select(Article.id, Article.minhash, Article.shingles)):
                copies.add(aid, independence.from_bytes(blob), n)
            rows = s.execute(
                select(Mention.claim_id, Mention.norm, Mention.pred, Mention.entities, Mention.words, Mention.stance,
                       Mention.negated, Mention.embedder, Mention.full_vec, Mention.pred_vec).order_by(Mention.id)
            ).all()
        feats: list[Optional[Features]] = []
        redo = []
        for i, r in enumerate(rows):
            if r.embedder == self.embedder:
                feats.append(Features(_vec(r.full_vec), _vec(r.pred_vec), frozenset(e.casefold() for e in r.entities),
                                      frozenset(r.words), r.stance == "deny" or r.negated))
            else:
                feats.append(None)
                redo.append(i)
        if redo:  # stored under another embedder: embed again, in memory
            again = featurise([(rows[i].norm, rows[i].pred, rows[i].entities, rows[i].words,
                                rows[i].stance == "deny" or rows[i].negated) for i in redo], self.embedder)
            for i, f in zip(redo, again):
                feats[i] = f
        index.extend([r.claim_id for r in rows], feats)  # type: ignore[arg-type]
        self._index, self._copies = index, copies

    # --- writing ------------------------------------------------------------------------------
    def has(self, report: Report) -> bool:
        key, _ = article_key(report)
        with self.Session() as s:
            return s.scalar(select(Article.id).where(Article.key == key)) is not None

    def add(self, report: Report, published: Optional[str] = None, hold: float = 0.0) -> Stored:
        """Store one report with its claims, in one transaction; nothing if already stored.

        ``hold``: seconds to wait inside the transaction before committing (crash tests)."""
        self._load()
        key, content = article_key(report)
        with self.Session() as s:
            found = s.scalar(select(Article.id).where(Article.key == key))
            if found is not None:
                return Stored("present", found)
        if published and not report.meta.published:
            report = report.model_copy(update={"meta": report.meta.model_copy(update={"published": published})})
        sig, n_sh = independence.signature(report.kept_text())
        stmts = statements(report)
        feats = featurise([(st.norm, st.pred, st.entities, st.words, st.stance == "deny" or st.negated) for st in stmts],
                          self.embedder)
        try:
            return self._add(report, key, content, stmts, feats, sig, n_sh, hold)
        except IntegrityError:
            # another process stored the same article meanwhile (one writer at a time is the rule:
            # the in-memory indexes no longer know all there is, so they are read again)
            self._index = self._copies = None
            with self.Session() as s:
                found = s.scalar(select(Article.id).where(Article.key == key))
            if found is None:
                raise
            return Stored("present", found)

    def _add(self, report, key, content, stmts, feats, sig, n_sh, hold) -> Stored:
        now = datetime.now(timezone.utc)
        pending = _Index()
        new_claims = 0
        with self.Session() as s, s.begin():
            if s.scalar(select(Article.id).where(Article.key == key)) is not None:  # stored meanwhile
                return Stored("present", s.scalar(select(Article.id).where(Article.key == key)))
            copies = self._copies.copies_of(sig, n_sh)
            groups = sorted({s.scalar(select(Article.copy_group).where(Article.id == c)) for c in copies})
            art = Article(
                key=key, url=report.meta.url or report.input.url, content_hash=content, title=report.meta.title,
                outlet=outlet_of(report), published=report.meta.published, input_path=report.input.path,
                minhash=independence.to_bytes(sig), shingles=n_sh, copy_group=groups[0] if groups else 0,
                report=report.to_json(indent=None), ingested_at=now,
            )
            s.add(art)
            s.flush()
            if not groups:
                art.copy_group = art.id
            elif len(groups) > 1:  # the new article joins copies that were apart until now
                s.execute(update(Article).where(Article.copy_group.in_(groups[1:])).values(copy_group=groups[0]))
            merged: dict[int, int] = {}  # claims merged away in this transaction -> the claim kept
            for members in clusters(feats):
                hits: set[int] = set()
                for i in members:
                    hits |= {merged.get(c, c) for c in self._index.matches(feats[i])}
                    hits |= {merged.get(c, c) for c in pending.matches(feats[i])}
                if hits:
                    keep = min(hits)  # the oldest claim keeps its id
                    claim = s.get(Claim, keep)
                    gone = sorted(hits - {keep})
                    if gone:  # this statement shows claims kept apart so far are one
                        self._merge(s, claim, gone)
                        merged.update({g: keep for g in gone})
                        merged.update({k: keep for k, v in merged.items() if v in gone})
                        pending.remap(merged)
                else:
                    rep = next((i for i in members if stmts[i].stance_role == "support" and not stmts[i].negated), members[0])
                    claim = Claim(text=stmts[rep].norm, text_role="negated" if stmts[rep].negated else "plain", created_at=now)
                    s.add(claim)
                    s.flush()
                    new_claims += 1
                negated = claim.text_role == "negated"
                for i in members:
                    st, f = stmts[i], feats[i]
                    s.add(Mention(
                        claim_id=claim.id, article_id=art.id, attribution=st.attribution, text=st.text, norm=st.norm,
                        pred=st.pred, start=st.start, end=st.end, stance=st.stance, negated=st.negated,
                        role=st.role_for(negated), chain=st.chain, cited_outlet=cited_outlet(st.chain),
                        entities=st.entities, words=st.words, date=report.meta.published, times=st.times,
                        said_on=st.said_on,
                        embedder=self.embedder,
                        full_vec=_blob(f.full), pred_vec=_blob(f.pred),
                    ))
                    pending.extend([claim.id], [f])
            aid = art.id
            if hold:
                s.flush()
                import time

                time.sleep(hold)
        # committed: now the in-memory indexes may learn it
        self._index.remap(merged)
        self._index.extend(pending.claim_ids, pending.feats)
        self._copies.add(aid, sig, n_sh)
        return Stored("stored", aid, len(stmts), new_claims)

    @staticmethod
    def _merge(s: Session, keep: Claim, gone: list[int]) -> None:
        """Fold claims into ``keep``: their statements move over (roles follow its polarity)."""
        negated = keep.text_role == "negated"
        s.flush()
        for m in s.scalars(select(Mention).where(Mention.claim_id.in_(gone))):
            m.claim_id = keep.id
            m.role = role_of(m.stance, m.negated, negated)
        s.execute(update(Claim).where(Claim.merged_into.in_(gone)).values(merged_into=keep.id))
        s.execute(update(Claim).where(Claim.id.in_(gone)).values(merged_into=keep.id))

    def resolve(self, claim_id: int) -> Optional[int]:
        """The id a claim is kept under now (claims merge when a statement shows they are one)."""
        with self.Session() as s:
            c = s.get(Claim, claim_id)
            if c is None:
                return None
            return c.merged_into or c.id

    # --- reading ------------------------------------------------------------------------------
    def _articles(self, s: Session) -> dict[int, dict]:
        rows = s.execute(select(Article.id, Article.outlet, Article.published, Article.copy_group,
                                Article.url, Article.title, Article.input_path)).all()
        arts = {r.id: dict(r._mapping) for r in rows}
        groups: dict[int, list[dict]] = {}
        for a in arts.values():
            groups.setdefault(a["copy_group"], []).append(a)
        for members in groups.values():
            orig = independence.original(members)
            for a in members:
                a["original"] = orig["id"]
                a["origin"] = orig["outlet"] or f"article {orig['id']}"
        return arts

    @staticmethod
    def _origins(mentions: list[dict], arts: dict[int, dict], role: str) -> dict[str, str]:
        """Distinct origins (key -> display name) of the mentions with this role."""
        by_article: dict[int, list[dict]] = {}
        for m in mentions:
            if m["role"] == role:
                by_article.setdefault(m["article_id"], []).append(m)
        out: dict[str, str] = {}
        for aid, ms in by_article.items():
            cited = [m["cited_outlet"] for m in ms if m["cited_outlet"]]
            if cited:
                for c in cited:
                    out.setdefault(outlet_key(c), c)
            else:
                origin = arts[aid]["origin"]
                out.setdefault(outlet_key(origin) or origin, origin)
        return out

    def _summaries(self, s: Session, claim_ids: Optional[list[int]] = None) -> list[dict]:
        arts = self._articles(s)
        q = select(Claim).where(Claim.merged_into.is_(None)).order_by(Claim.id)
        if claim_ids is not None:
            q = q.where(Claim.id.in_(claim_ids))
        claims = s.scalars(q).all()
        mq = select(*_mention_columns())
        if claim_ids is not None:
            mq = mq.where(Mention.claim_id.in_(claim_ids))
        by_claim: dict[int, list[dict]] = {}
        for r in s.execute(mq.order_by(Mention.id)):
            by_claim.setdefault(r.claim_id, []).append(dict(r._mapping))
        out = []
        for c in claims:
            ms = by_claim.get(c.id, [])
            sup = self._origins(ms, arts, "support")
            den = self._origins(ms, arts, "deny")
            dates = sorted(d for d in (m["date"] for m in ms) if d)
            out.append({
                "id": c.id,
                "claim": c.text,
                "supporters": sum(m["role"] == "support" for m in ms),
                "deniers": sum(m["role"] == "deny" for m in ms),
                "others": sum(m["role"] == "other" for m in ms),
                "articles": len({m["article_id"] for m in ms}),
                "independent_sources": len(sup),
                "origins": sorted(sup.values()),
                "denying_origins": sorted(den.values()),
                "first_seen": dates[0] if dates else None,
                "last_seen": dates[-1] if dates else None,
                "_mentions": ms,
                "_arts": arts,
            })
        return out

    @staticmethod
    def _disputes(s: Session, claim_id: int, denials: list[dict]) -> list[dict]:
        """What a denier goes on to say right after the denial, through the same chain ("Musk denied
        'negotiations' with Putin. He claimed he had spoken to him before the invasion"): the
        speaker's own account, a claim of its own, shown with the denial."""
        out, seen = [], set()
        for d in denials:
            rows = s.execute(
                select(*_mention_columns())
                .where(Mention.article_id == d["article_id"], Mention.claim_id != claim_id,
                       Mention.start >= d["end"], Mention.start <= d["end"] + DISPUTE_REACH)
                .order_by(Mention.start)
            ).all()
            for r in rows:
                m = dict(r._mapping)
                if [link["name"] for link in m["chain"]] != [link["name"] for link in d["chain"]]:
                    break  # someone else speaks: the denial is over
                if m["role"] == "support" and m["id"] not in seen:
                    seen.add(m["id"])
                    out.append(m)
        return out

    def claims(self, query: Optional[str] = None) -> list[dict]:
        """Every claim with its counts; with ``query``, those whose text or statements contain every
        word of it (case-insensitive)."""
        with self.Session() as s:
            ids = None
            if query:
                words = [w for w in re.findall(r"\w+", query.casefold()) if w]
                hits = set()
                for cid, text in s.execute(select(Claim.id, Claim.text).where(Claim.merged_into.is_(None))):
                    if all(w in text.casefold() for w in words):
                        hits.add(cid)
                for cid, text, norm in s.execute(select(Mention.claim_id, Mention.text, Mention.norm)):
                    blob = (text + " " + norm).casefold()
                    if all(w in blob for w in words):
                        hits.add(cid)
                ids = sorted(hits)
            rows = self._summaries(s, ids)
        for r in rows:
            r.pop("_mentions"), r.pop("_arts")
        rows.sort(key=lambda r: (-r["independent_sources"], -r["supporters"] - r["deniers"], r["id"]))
        return rows

    def claim(self, claim_id: int) -> Optional[dict]:
        """One claim: its statements (supporters, deniers, others) with chains and dates, its timeline."""
        claim_id = self.resolve(claim_id) or claim_id
        with self.Session() as s:
            rows = self._summaries(s, [claim_id])
            if not rows:
                return None
            row = rows[0]
            ms, arts = row.pop("_mentions"), row.pop("_arts")
            disputes = self._disputes(s, claim_id, [m for m in ms if m["role"] == "deny"])

        cited: dict[tuple[int, str], str] = {}  # the outlet an article cites for the claim, by role
        for m in ms:
            if m["cited_outlet"]:
                cited.setdefault((m["article_id"], m["role"]), m["cited_outlet"])

        def entry(m: dict) -> dict:
            a = arts[m["article_id"]]
            return {
                "article": m["article_id"],
                "outlet": a["outlet"] or UNKNOWN_OUTLET,
                "url": a["url"],
                "title": a["title"],
                "date": m["date"],
                "said_on": m["said_on"],
                "about": m["times"],
                "chain": [link["name"] for link in m["chain"]],
                "chain_kinds": [link["kind"] for link in m["chain"]],
                "speaker": m["chain"][-1]["name"] if m["chain"] else None,
                "stance": m["stance"],
                "text": m["text"],
                "attribution": m["attribution"],
                "origin": m["cited_outlet"] or cited.get((m["article_id"], m["role"])) or a["origin"],
                "copy_of": a["original"] if a["original"] != a["id"] else None,
            }

        row["supported_by"] = [entry(m) for m in ms if m["role"] == "support"]
        row["denied_by"] = [entry(m) for m in ms if m["role"] == "deny"]
        row["other_statements"] = [entry(m) for m in ms if m["role"] == "other"]
        relayed = sorted({arts[m["article_id"]]["outlet"] or f"article {m['article_id']}" for m in ms
                          if m["role"] == "support"} - set(row["origins"]))
        row["relayed_by"] = relayed
        row["disputed_by"] = [dict(entry(m), claim=m["claim_id"]) for m in disputes]
        row["about"] = sorted({t for e in row["supported_by"] + row["denied_by"] for t in e["about"]})
        row["chains"] = sorted({" <- ".join(e["chain"]) for e in row["supported_by"] + row["denied_by"]})
        # in the order things were said: the day the article dates the saying, else its publication date
        timeline = sorted(row["supported_by"] + row["denied_by"] + row["other_statements"],
                          key=lambda e: (_said_key(e["said_on"]) or e["date"] or "9999", e["article"]))
        row["timeline"] = [
            {"date": e["date"], "said_on": e["said_on"], "about": e["about"], "outlet": e["outlet"], "role": role,
             "chain": e["chain"], "text": e["text"]}
            for e in timeline
            for role in [("support" if e in row["supported_by"] else "deny" if e in row["denied_by"] else "other")]
        ]
        return row

    def counts(self) -> dict:
        from sqlalchemy import func

        with self.Session() as s:
            return {
                "articles": s.scalar(select(func.count(Article.id))),
                "claims": s.scalar(select(func.count(Claim.id)).where(Claim.merged_into.is_(None))),
                "statements": s.scalar(select(func.count(Mention.id))),
            }


def ledger_dump(ledger: Ledger) -> dict:
    """Everything comparable about a ledger (for tests and checks): articles and claim groups."""
    with ledger.Session() as s:
        arts = {a.id: (a.key, a.outlet) for a in s.scalars(select(Article))}
        groups: dict[int, list] = {}
        for m in s.scalars(select(Mention).order_by(Mention.id)):
            groups.setdefault(m.claim_id, []).append((arts[m.article_id][0], m.start, m.end, m.role))
    return {
        "articles": sorted(k for k, _ in arts.values()),
        "claims": sorted(sorted(g) for g in groups.values()),
    }
