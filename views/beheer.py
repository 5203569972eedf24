"""Beheer: data quality for everyone; editing, suggestions, import and history for a logged-in curator.

Writing is only reachable with a logged-in curator (:func:`current_curator`); every write call in
the core also requires the ``Curator`` object itself. The "Meld een fout" button that feeds the
suggestions is shared with other pages (``socialmap.ui.curation``).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from socialmap import figures, i18n
from socialmap.curation import auth, hsds, quality, review
from socialmap.errors import DataError, InputError
from socialmap.i18n import t
from socialmap.schema import TABLES, columns
from socialmap.ui import common, state
from socialmap.ui import figures as ui_figures
from socialmap.ui.curation import client_key, importer, records, region_folder, store, suggestions

_IMPORT_PREVIEW = "_curator_import_preview"
_FLASH = "_curator_flash"


# ---- login -----------------------------------------------------------------------------------

def oidc_configured() -> bool:
    """True when ``[auth]`` is in st.secrets; never raises (no secrets file is fine)."""
    try:
        return "auth" in st.secrets
    except Exception:  # StreamlitSecretNotFoundError, parse errors: treat as not configured
        return False


def current_curator() -> auth.Curator | None:
    """The logged-in curator of this session, or None (read-only)."""
    curator = st.session_state.get(state.CURATOR_USER)
    if curator is not None:
        try:
            return auth.require_curator(curator)
        except auth.NotAuthenticated:
            return None
    if oidc_configured():
        try:
            user = st.user.to_dict()
        except Exception:
            return None
        return auth.curator_from_oidc(user, auth.allowed_curators(region_folder()))
    return None


def _oidc_not_allowed() -> bool:
    """True when someone logged in with OIDC whose account is not on the curator allow-list."""
    try:
        return bool(st.user.to_dict().get("is_logged_in"))
    except Exception:
        return False


def _do_password_login() -> None:
    password = st.session_state.get("curator_password", "")
    name = st.session_state.get("curator_name", "")
    st.session_state["curator_password"] = ""  # never kept in the session
    try:
        curator = auth.login_with_password(password, name, client=client_key())
    except InputError:
        st.session_state[_FLASH] = ("error", "curation.login.name_needed")
        return
    except auth.TooManyAttempts as exc:
        st.session_state[_FLASH] = ("error", "curation.login.too_many", {"minutes": math.ceil(exc.wait_s / 60)})
        return
    if curator is None:
        st.session_state[_FLASH] = ("error", "curation.login.wrong")
        return
    st.session_state[state.CURATOR_USER] = curator
    st.session_state[_FLASH] = ("success", "curation.login.ok")


def _logout() -> None:
    st.session_state.pop(state.CURATOR_USER, None)
    st.session_state.pop(state.CURATOR_DRAFT, None)


def flash(lang: str) -> None:
    message = st.session_state.pop(_FLASH, None)
    if message:
        kind, key = message[0], message[1]
        getattr(st, kind)(t(key, lang, **(message[2] if len(message) > 2 else {})))


def login_box(lang: str) -> None:
    """The login (or logout) control; shows how to configure a login when none is."""
    curator = current_curator()
    if curator is not None:
        cols = st.columns([4, 1])
        cols[0].success(t("curation.login.as", lang, name=common.md_escape(curator.name)))
        if curator.method == "oidc":
            if cols[1].button(t("curation.login.logout", lang), key="curator_logout_oidc"):
                st.logout()
        else:
            cols[1].button(t("curation.login.logout", lang), key="curator_logout", on_click=_logout)
        return
    st.info(t("curation.login.read_only", lang), icon="🔒")
    auth.log_hash_problem()  # a broken hash is reported in the server log, not to visitors
    if oidc_configured():
        if _oidc_not_allowed():
            st.warning(t("curation.login.not_allowed", lang))
            if st.button(t("curation.login.logout", lang), key="curator_logout_oidc_refused"):
                st.logout()
        elif st.button(t("curation.login.oidc", lang), key="curator_oidc_login"):
            st.login()
    elif auth.password_configured():
        with st.form("curator_login"):
            st.text_input(t("curation.login.name", lang), key="curator_name", max_chars=80)
            st.text_input(t("curation.login.password", lang), type="password", key="curator_password", max_chars=72)
            st.form_submit_button(t("curation.login.submit", lang), on_click=_do_password_login)
    else:
        st.caption(t("quality.login_not_configured", lang))  # set-up steps: README, section Curation


# ---- dashboard (read-only) -----------------------------------------------------------------------

def _folder_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of every file of a region folder (changes on any save)."""
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and ".history" not in path.parts:
            stat = path.stat()
            out.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


class _Latest:
    """The quality report of one region folder for its current files, and its tables as shown per
    language. Only the latest version is kept: an older report would keep an older atlas (and its
    indexes) in memory after a save."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[Any, ...] | None = None
        self.report: quality.QualityReport | None = None
        self.shown: dict[str, dict[str, pd.DataFrame]] = {}


@st.cache_resource(show_spinner=False, max_entries=4)
def _latest(folder: str) -> _Latest:
    return _Latest()


def _cached_report(folder: str, signature: tuple[tuple[str, int, int], ...], today: str,
                   atlas: Any = None) -> quality.QualityReport:
    """The quality report per version of the region's files (read-only, shared). ``atlas``: the
    app's shared atlas; the report uses it (and the validation its snapshot recorded) when it holds
    the files' current content, else it validates the files itself."""
    latest = _latest(folder)
    with latest.lock:
        if latest.key != (signature, today) or latest.report is None:
            latest.report = quality.quality_report(Path(folder), today=dt.date.fromisoformat(today), atlas=atlas)
            latest.key, latest.shown = (signature, today), {}
        return latest.report


def _shared_atlas() -> Any:
    """The app's shared atlas (its indexes built in the background), or None when the region does not load."""
    try:
        return common.get_atlas(common.region_id())
    except DataError:
        return None


def metric(container: Any, label: str, fig: figures.Figure, fmt: Callable[[Any], str], lang: str,
           unit: str = "services") -> None:
    """A ``st.metric`` for a figure: the value, or "te weinig echte gegevens", with the basis below."""
    if fig.shown:
        value = fmt(fig.value)
        if fig.is_example:
            value = f"{value} *"
        container.metric(label, value)
        container.caption(ui_figures.markdown_text_basis(fig, lang, unit))
    else:
        container.metric(label, "–")
        container.caption(figures.too_few_text(fig, lang))


def _shown(folder: str, report: quality.QualityReport, lang: str) -> dict[str, pd.DataFrame]:
    """The report's tables as the dashboard shows them (labels in ``lang``), once per report and language."""
    latest = _latest(folder)
    with latest.lock:
        if latest.report is report and lang in latest.shown:
            return latest.shown[lang]
    shown = _tables(report, lang)
    with latest.lock:
        if latest.report is report:
            latest.shown[lang] = shown
    return shown


def _tables(report: quality.QualityReport, lang: str) -> dict[str, pd.DataFrame]:
    todo = report.todo[["name", "shown_in", "level", "status", "wijken", "id"]].copy()  # name first: phones
    for kind, col in (("level", "level"), ("status", "status")):  # a label per distinct value
        todo[col] = todo[col].map({v: i18n.label(kind, v, lang) for v in todo[col].unique()})
    todo = todo.rename(columns={
        "id": t("curation.col.id", lang), "name": t("curation.col.name", lang),
        "level": t("quality.col_level", lang), "status": t("curation.col.status", lang),
        "shown_in": t("quality.col_shown_in", lang), "wijken": t("quality.col_wijken", lang)})
    by_level = report.status_by_level.copy()
    by_level.index = [i18n.label("level", v, lang) for v in by_level.index]
    by_level.columns = [i18n.label("status", c, lang) for c in by_level.columns]
    by_wijk = report.status_by_wijk.copy()
    by_wijk.columns = [t("curation.col.name", lang) if c == "name" else i18n.label("status", c, lang) for c in by_wijk.columns]
    contact = report.missing_contact.copy()
    contact["no_contact"] = [t("map.dekking.yes", lang) if v else "" for v in contact["no_contact"]]
    contact = contact.rename(columns={c: t("quality.no_contact_col", lang) if c == "no_contact"
                                      else t(f"curation.col.{c}", lang) for c in contact.columns})
    return {"todo": todo, "by_level": by_level, "by_wijk": by_wijk, "contact": contact,
            "stale": _labelled(report.stale, lang), "duplicates": _labelled(report.duplicates, lang)}


#: At most this many rows of a long list go to the browser on every run; the rest is a download.
SHOWN_ROWS = 1000


def _long_table(frame: pd.DataFrame, name: str, lang: str, **kwargs: Any) -> None:
    """A table; a long one with its first :data:`SHOWN_ROWS` rows (the lists are ordered most
    important first) and the whole list as a CSV download, made only when asked for."""
    if len(frame) <= SHOWN_ROWS:
        st.dataframe(frame, **kwargs)
        return
    st.caption(t("quality.rows_shown", lang, shown=figures.number(SHOWN_ROWS, lang, 0),
                 n=figures.number(len(frame), lang, 0)))
    st.dataframe(frame.head(SHOWN_ROWS), **kwargs)
    st.download_button(t("quality.download_csv", lang), data=lambda: frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{name}.csv", mime="text/csv", key=f"quality_csv_{name}")


def _labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={c: t(f"curation.col.{c}", lang) for c in frame.columns})


def dashboard(lang: str, folder: Path) -> None:
    atlas = _shared_atlas()  # first: loading it may write a new snapshot, which changes the signature
    report = _cached_report(str(folder), _folder_signature(folder), dt.date.today().isoformat(), atlas)
    cols = st.columns(6)
    cols[0].metric(t("curation.dash.errors", lang), len(report.errors))
    cols[1].metric(t("curation.dash.warnings", lang), len(report.warnings))
    cols[2].metric(t("curation.dash.stale", lang), len(report.stale))
    cols[3].metric(t("quality.contact", lang), len(report.missing_contact))
    cols[4].metric(t("curation.dash.duplicates", lang), len(report.duplicates))
    coverage = report.real_coverage
    if coverage is not None:
        metric(cols[5], t("quality.real_coverage", lang), coverage,
               lambda v: t("quality.real_coverage_value", lang, pct=figures.number(v.percent, lang, 0)), lang)
    if report.errors:
        st.error(t("curation.dash.invalid", lang), icon="⛔")
        st.code("\n".join(report.errors[:200]), language=None, wrap_lines=True)
    else:
        valid = t("curation.dash.valid", lang)
        if coverage is not None and coverage.shown and coverage.value.places:
            examples = figures.number(100.0 - coverage.value.percent, lang, 0)
            st.success(f"{valid} {t('quality.valid_not_true', lang, pct=examples)}", icon="✅")
            st.caption(t("quality.real_coverage_help", lang, places=figures.number(coverage.value.places, lang, 0),
                         real=figures.number(coverage.value.real, lang, 0)))
        else:
            st.success(valid, icon="✅")
    if report.warnings:
        with st.expander(t("curation.dash.warnings_title", lang, n=len(report.warnings))):
            st.code("\n".join(report.warnings[:200]), language=None, wrap_lines=True)
    if report.atlas is None:
        return
    shown = _shown(str(folder), report, lang)
    with st.expander(t("quality.todo_title", lang, n=len(report.todo)), expanded=True):
        st.caption(t("quality.todo_help", lang))
        _long_table(shown["todo"], "eerst-controleren", lang, hide_index=True, width="stretch", height=320)
    with st.expander(t("curation.dash.stale_title", lang, n=len(report.stale)), expanded=False):
        st.caption(t("curation.dash.stale_help", lang))
        _long_table(shown["stale"], "niet-gecontroleerd", lang, hide_index=True, width="stretch")
    with st.expander(t("curation.dash.levels_title", lang), expanded=True):
        st.dataframe(shown["by_level"], width="stretch")
    with st.expander(t("curation.dash.wijk_title", lang)):
        st.dataframe(shown["by_wijk"], width="stretch")
    with st.expander(t("quality.contact_title", lang, n=len(report.missing_contact))):
        none = int(report.missing_contact["no_contact"].sum()) if len(report.missing_contact) else 0
        st.caption(t("quality.contact_help", lang, none=none))
        _long_table(shown["contact"], "contact-onvolledig", lang, hide_index=True, width="stretch")
    with st.expander(t("curation.dash.duplicates_title", lang, n=len(report.duplicates)),
                     expanded=bool(len(report.duplicates))):
        st.caption(t("curation.dash.duplicates_help", lang, threshold=quality.DUPLICATE_THRESHOLD))
        _long_table(shown["duplicates"], "mogelijke-dubbelen", lang, hide_index=True, width="stretch")


# ---- exports (read-only, open data) ----------------------------------------------------------------

def exports(lang: str, folder: Path) -> None:
    open_data_exports(lang, folder)


# ---- editing (curator only) ------------------------------------------------------------------------

def _after_save() -> None:
    common.get_atlas.clear()
    st.session_state.pop(state.CURATOR_DRAFT, None)


def _show_failure(exc: Exception, lang: str) -> None:
    if isinstance(exc, store.ConcurrentEditError):
        st.error(t("curation.edit.conflict", lang), icon="⚠️")
    elif isinstance(exc, DataError):
        st.error(t("curation.edit.invalid", lang), icon="⛔")
        st.code("\n".join(exc.messages[:50]), language=None, wrap_lines=True)
    else:
        st.error(str(exc))


_LABEL_KIND = {"level": "level", "access_route": "access", "status": "status", "cost": "cost",
               "concerns": "concern", "kind": "schedule_kind", "weekday": "weekday"}


def _ref_options(folder: Path, table: str) -> list[str]:
    _, rows = store.read_rows(folder, f"{table}.csv")
    return [r.get("id") or r.get("code") or "" for r in rows]


def _field(col: Any, value: str, lang: str, key: str, folder: Path) -> str:
    label = col.name + (" *" if col.required else "")
    kind = _LABEL_KIND.get(col.name)
    fmt = (lambda v: i18n.label(kind, v, lang) if v else "") if kind else (lambda v: v)
    if col.kind == "enum":
        options = ([] if col.required else [""]) + list(col.choices)
        index = options.index(value) if value in options else None  # a new record starts empty
        return st.selectbox(label, options, index=index, key=key, format_func=fmt,
                            placeholder=t("curation.edit.choose_one", lang)) or ""
    if col.kind == "ref" and col.ref in ("organizations", "locations", "services"):
        options = ([] if col.required else [""]) + _ref_options(folder, col.ref)
        if value and value not in options:
            options.append(value)
        index = options.index(value) if value in options else None
        return st.selectbox(label, options, index=index, key=key, placeholder=t("curation.edit.choose_one", lang)) or ""
    if col.kind == "list" and col.choices:
        current = [v for v in value.split(";") if v in col.choices]
        return ";".join(st.multiselect(label, list(col.choices), default=current, key=key, format_func=fmt,
                                       placeholder=t("curation.edit.choose", lang)))
    if col.name == "description":
        return st.text_area(label, value=value, key=key, max_chars=2000)
    return st.text_input(label, value=value, key=key, max_chars=500,
                         help=t(f"curation.help.{col.kind}", lang) if i18n.has(f"curation.help.{col.kind}") else None)


def edit_panel(lang: str, folder: Path, curator: auth.Curator) -> None:
    kind = st.radio(t("curation.edit.kind", lang), list(records.KINDS), horizontal=True,
                    format_func=lambda k: t(f"curation.kind.{k}", lang), key="curator_kind")
    file = records.KINDS[kind]
    _, rows = store.read_rows(folder, file)
    new_label = t("curation.edit.new", lang)
    options = [new_label] + [r["id"] for r in rows]
    names = {r["id"]: r.get("name", "") for r in rows}
    choice = st.selectbox(t("curation.edit.record", lang), options, key=f"curator_pick_{kind}",
                          format_func=lambda v: v if v == new_label else f"{names.get(v, '')} ({v})")
    record_id = None if choice == new_label else choice
    draft = st.session_state.get(state.CURATOR_DRAFT)
    if not draft or draft.get("kind") != kind or draft.get("id") != record_id:
        draft = {"kind": kind, "id": record_id, "version": store.version_token(folder)}
        st.session_state[state.CURATOR_DRAFT] = draft
    values = records.record(folder, kind, record_id) if record_id else {c: "" for c in columns(file)}
    values = values or {c: "" for c in columns(file)}
    form_key = f"curator_form_{kind}_{record_id or 'new'}_{draft['version']}"
    with st.form(form_key):
        out: dict[str, str] = {}
        grid = st.columns(2)
        for number, col in enumerate(TABLES[file]):
            with grid[number % 2]:
                if col.name == "id" and record_id:
                    st.text_input("id", value=record_id, disabled=True, key=f"{form_key}_id")
                    out["id"] = record_id
                else:
                    out[col.name] = _field(col, values.get(col.name, ""), lang, f"{form_key}_{col.name}", folder)
        submitted = st.form_submit_button(t("curation.edit.save", lang), type="primary")
    if submitted:
        try:
            result, change = records.upsert(folder, kind, out, curator, draft["version"], original_id=record_id)
        except (DataError, InputError, store.ConcurrentEditError) as exc:
            _show_failure(exc, lang)
        else:
            _after_save()
            st.session_state[_FLASH] = ("success", "curation.edit.saved",
                                        {"id": change.record_id, "fields": ", ".join(change.fields) or "-"})
            st.rerun()
    if record_id:
        with st.expander(t("curation.retire.title", lang)):
            st.caption(t("curation.retire.help", lang))
            with st.form(f"curator_retire_{kind}_{record_id}"):
                reason = st.text_input(t("curation.retire.reason", lang), max_chars=300)
                confirm = st.checkbox(t("curation.retire.confirm", lang, id=record_id))
                go = st.form_submit_button(t("curation.retire.button", lang))
            if go:
                if not confirm:
                    st.warning(t("curation.retire.need_confirm", lang))
                else:
                    try:
                        records.retire(folder, kind, record_id, reason, curator, draft["version"])
                    except (DataError, InputError, store.ConcurrentEditError) as exc:
                        _show_failure(exc, lang)
                    else:
                        _after_save()
                        st.session_state[_FLASH] = ("success", "curation.retire.done", {"id": record_id})
                        st.rerun()


def suggestions_panel(lang: str, folder: Path, curator: auth.Curator) -> None:
    items = suggestions.open_suggestions(folder)
    if not items:
        st.caption(t("curation.suggest.none_open", lang))
        return
    version = store.version_token(folder)
    for s in items:
        with st.container(border=True):
            st.markdown(t("curation.suggest.item", lang, service=common.md_escape(s.service_id),
                          field=common.md_escape(s.field), when=s.created_at))
            if s.value:
                st.markdown(t("curation.suggest.value", lang, value=common.md_escape(s.value)))
            if s.note:
                st.markdown(t("curation.suggest.note", lang, note=common.md_escape(s.note)))
            cols = st.columns(2)
            if cols[0].button(t("curation.suggest.accept", lang), key=f"sugg_accept_{s.id}"):
                try:
                    suggestions.accept(folder, s.id, curator, version)
                except (DataError, InputError, store.ConcurrentEditError) as exc:
                    _show_failure(exc, lang)
                else:
                    _after_save()
                    st.session_state[_FLASH] = ("success", "curation.suggest.accepted")
                    st.rerun()
            if cols[1].button(t("curation.suggest.reject", lang), key=f"sugg_reject_{s.id}"):
                try:
                    suggestions.reject(folder, s.id, curator)
                except InputError as exc:  # decided by another curator in the meantime
                    _show_failure(exc, lang)
                else:
                    st.session_state[_FLASH] = ("info", "curation.suggest.rejected")
                    st.rerun()


def _preview_summary(preview: importer.Preview, lang: str) -> None:
    rows = [{t("curation.col.table", lang): f, t("curation.import.added", lang): len(d.added),
             t("curation.import.changed", lang): len(d.changed), t("curation.import.retired", lang): len(d.retired)}
            for f, d in preview.diffs.items()]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    for f, d in preview.diffs.items():
        details = [*(f"+ {i}" for i in d.added), *(f"~ {i}: {', '.join(c)}" for i, c in d.changed.items()),
                   *(f"- {i}" for i in d.retired)]
        if details:
            with st.expander(f):
                st.code("\n".join(details[:500]), language=None, wrap_lines=True)
    if preview.errors:
        st.error(t("curation.import.has_errors", lang, n=len(preview.errors)), icon="⛔")
        st.code("\n".join(preview.errors[:200]), language=None, wrap_lines=True)


def import_panel(lang: str, folder: Path, curator: auth.Curator) -> None:
    kind = st.radio(t("curation.import.kind", lang), ["table", "hsds"], horizontal=True,
                    format_func=lambda k: t(f"curation.import.kind_{k}", lang), key="curator_import_kind")
    retire_missing = st.checkbox(t("curation.import.retire_missing", lang), key="curator_import_retire")
    preview = None
    if kind == "table":
        file = st.selectbox(t("curation.import.table", lang), list(importer.IMPORTABLE), key="curator_import_table")
        upload = st.file_uploader(t("curation.import.file", lang), type=["csv", "xlsx"], key="curator_upload_table")
        if upload is not None:
            data = upload.getvalue()
            try:
                header, _ = importer.read_upload(upload.name, data)
            except importer.ImportError_ as exc:
                st.error(str(exc))
                return
            guess = importer.suggest_mapping(header, file)
            st.caption(t("curation.import.mapping_help", lang))
            mapping: dict[str, str | None] = {}
            grid = st.columns(3)
            choices = [""] + header
            for number, col in enumerate(columns(file)):
                default = guess.get(col) or ""
                picked = grid[number % 3].selectbox(col, choices, index=choices.index(default),
                                                    key=f"curator_map_{file}_{col}",
                                                    format_func=lambda h: h or t("curation.import.not_mapped", lang))
                mapping[col] = picked or None
            if st.button(t("curation.import.preview", lang), key="curator_import_preview_btn"):
                preview = importer.preview_upload(folder, file, upload.name, data, mapping, retire_missing)
    else:
        upload = st.file_uploader(t("curation.import.file_hsds", lang), type=["json", "zip"], key="curator_upload_hsds")
        if upload is not None and st.button(t("curation.import.preview", lang), key="curator_import_preview_hsds"):
            preview = hsds_upload(lang, folder, upload.name, upload.getvalue(), retire_missing)
    if preview is not None:
        st.session_state[_IMPORT_PREVIEW] = preview
    preview = st.session_state.get(_IMPORT_PREVIEW)
    if preview is None:
        return
    st.subheader(t("curation.import.preview_title", lang, source=common.md_escape(preview.source)))
    _preview_summary(preview, lang)
    if preview.ok and preview.has_changes:
        if st.button(t("curation.import.apply", lang), type="primary", key="curator_import_apply"):
            try:
                importer.apply(folder, preview, curator)
            except (DataError, InputError, store.ConcurrentEditError) as exc:
                _show_failure(exc, lang)
            else:
                _after_save()
                st.session_state.pop(_IMPORT_PREVIEW, None)
                st.session_state[_FLASH] = ("success", "curation.import.applied")
                st.rerun()
    elif preview.ok:
        st.info(t("curation.import.no_changes", lang))


def history_panel(lang: str, folder: Path) -> None:
    entries = store.history(folder, limit=100)
    if not entries:
        st.caption(t("curation.history.empty", lang))
        return
    rows = [{t("curation.col.at", lang): e.get("at"), t("curation.col.who", lang): e.get("who"),
             t("curation.col.action", lang): e.get("action"), t("curation.col.table", lang): e.get("table", ""),
             t("curation.col.id", lang): e.get("record_id", e.get("source", "")),
             t("curation.col.fields", lang): ", ".join(e.get("fields", []) or e.get("files", []))} for e in entries]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# ---- open data: exports and the review queue of other producers' HSDS records -----------------------

def open_data_exports(lang: str, folder: Path) -> None:
    """HSDS JSON, HSDS tabular zip and GeoJSON downloads (illustrative records only when ticked)."""
    st.caption(t("curation.export.help", lang))
    include = st.checkbox(t("opendata.export.include_illustrative", lang), key="dl_include_illustrative")
    st.caption(t("opendata.export.licence", lang, attribution=common.md_escape(hsds.license_info(folder)["attribution"])))
    name = folder.name + ("-met-voorbeelden" if include else "")
    cols = st.columns(3)  # each export is made when its button is pressed, not on every run
    cols[0].download_button(t("curation.export.hsds_json", lang), data=lambda: hsds.export_json(folder, include),
                            file_name=f"{name}-hsds.json", mime="application/json", key="dl_hsds_json")
    cols[1].download_button(t("curation.export.hsds_csv", lang), data=lambda: hsds.export_tabular_zip(folder, include),
                            file_name=f"{name}-hsds-tabular.zip", mime="application/zip", key="dl_hsds_zip")
    cols[2].download_button(t("curation.export.geojson", lang), data=lambda: hsds.export_geojson(folder, include),
                            file_name=f"{name}.geojson", mime="application/geo+json", key="dl_geojson")


def hsds_upload(lang: str, folder: Path, name: str, data: bytes, retire_missing: bool) -> importer.Preview | None:
    """Our own HSDS exports get the usual preview; other producers' records go to the review queue."""
    try:
        tables = importer.read_hsds(folder, name, data)
    except importer.ImportError_ as exc:
        st.error(t("opendata.review.unreadable", lang, reason=common.md_escape(str(exc))), icon="⛔")
        return None
    if importer.is_own_export(tables, name, data):
        return importer.preview_hsds(folder, name, data, retire_missing)
    result = review.enqueue(folder, name, data)
    if result.errors:
        st.error(t("opendata.review.unreadable", lang, reason=common.md_escape("; ".join(result.errors))), icon="⛔")
    else:
        st.session_state[_FLASH] = ("success", "opendata.review.queued", {"n": result.added, "source": name})
        st.session_state["curator_section_next"] = "review"
        st.rerun()
    return None


def review_panel(lang: str, folder: Path, curator: auth.Curator) -> None:
    """Records from other producers' HSDS files: fill in, approve (validated save) or reject."""
    st.caption(t("opendata.review.intro", lang))
    waiting = review.items(folder)
    if not waiting:
        st.caption(t("opendata.review.none", lang))
        return
    names = {i.id: i.name for i in waiting}
    version = store.version_token(folder)
    for item in waiting:
        with st.container(border=True):
            _review_item(lang, folder, curator, item, names, version)


def _review_item(lang: str, folder: Path, curator: auth.Curator, item: review.Item, names: dict[str, str],
                 version: str) -> None:
    st.markdown(t("opendata.review.item", lang, kind=t(f"opendata.review.kind.{item.kind}", lang),
                  name=common.md_escape(item.name), id=common.md_escape(item.record_id),
                  source=common.md_escape(item.source), when=item.received_at[:16].replace("T", " ")))
    if item.needs:
        st.caption(t("opendata.review.needs", lang, names=common.md_escape(", ".join(names.get(n, n) for n in item.needs))))
    problems = review.problems(folder, item)
    if problems:
        st.warning(t("opendata.review.problems", lang), icon="✏️")
        st.code("\n".join(problems[:20]), language=None, wrap_lines=True)
    else:
        st.success(t("opendata.review.ok", lang), icon="✅")
    file = review.KINDS[item.kind]
    fields = [c for c in TABLES[file] if c.name in review.CURATOR_FIELDS[file] or c.name in ("name", "description")]
    with st.form(f"review_form_{item.id}"):
        values: dict[str, str] = {}
        grid = st.columns(2)
        for number, col in enumerate(fields):
            with grid[number % 2]:
                values[col.name] = _field(col, item.main.get(col.name, ""), lang, f"review_{item.id}_{col.name}", folder)
        cols = st.columns(3)
        save = cols[0].form_submit_button(t("opendata.review.save", lang))
        approve = cols[1].form_submit_button(t("opendata.review.approve", lang), type="primary")
        reject = cols[2].form_submit_button(t("opendata.review.reject", lang))
    try:
        if save or approve:
            review.update(folder, item.id, values, curator)
        if approve:
            review.approve(folder, item.id, curator, version)
            _after_save()
        if reject:
            review.reject(folder, item.id, curator)
    except (DataError, InputError, store.ConcurrentEditError) as exc:
        _show_failure(exc, lang)
        return
    if save or approve or reject:
        key = "opendata.review.approved" if approve else "opendata.review.rejected" if reject else "opendata.review.saved"
        st.session_state[_FLASH] = ("success" if not reject else "info", key)
        st.rerun()


# ---- the page ----------------------------------------------------------------------------------

def page(lang: str) -> None:
    folder = region_folder()
    store.recover(folder)  # finish an interrupted save before anything is read
    st.title(t("curation.title", lang))
    st.caption(t("curation.intro", lang))
    flash(lang)
    login_box(lang)
    curator = current_curator()
    names = ["dashboard", "export"] if curator is None else ["dashboard", "edit", "suggestions", "review", "import", "export", "history"]
    if st.session_state.pop("curator_section_next", None) in names:
        st.session_state["curator_section"] = "review"
    if st.session_state.get("curator_section") not in names:
        st.session_state["curator_section"] = "dashboard"
    section = st.radio(t("curation.section", lang), names, horizontal=True, key="curator_section",
                       format_func=lambda n: t(f"curation.tab.{n}", lang), label_visibility="collapsed")
    st.divider()
    if section == "dashboard":
        dashboard(lang, folder)
    elif section == "export":
        exports(lang, folder)
    elif curator is not None and section == "edit":
        edit_panel(lang, folder, curator)
    elif curator is not None and section == "suggestions":
        suggestions_panel(lang, folder, curator)
    elif curator is not None and section == "review":
        review_panel(lang, folder, curator)
    elif curator is not None and section == "import":
        import_panel(lang, folder, curator)
    elif curator is not None and section == "history":
        history_panel(lang, folder)


page(common.current_lang())
common.readiness_line(common.current_lang())
