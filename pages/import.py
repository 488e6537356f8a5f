"""Import: upload, preview, map unknown columns once, validate, import atomically; the log, and undo.

Every step goes through ui.data, which calls the one door in (storage/ingest.py)."""

from typing import Any

import pandas as pd
import streamlit as st

from di_metrics import i18n
from di_metrics.errors import InvalidInput, rule_text
from ui import auth, data, state, widgets


def mapping_form(kind: str, columns: list[str], lang: str, version: int) -> None:
    """Columns neither the format nor an earlier mapping knows, mapped once and remembered for this kind."""
    expected, unknown = data.import_columns(kind, columns, version)
    if not unknown:
        return
    st.subheader(state.tr("import.mapping"))
    st.caption(state.tr("import.mapping_help"))
    mapping = {}
    for col in unknown:
        target = st.selectbox(
            col,
            [None, *expected],
            key=f"map_{col}",
            format_func=lambda v: i18n.t("import.not_mapped", lang) if v is None else v,
        )
        if target:
            mapping[col] = target
    if mapping and st.button(state.tr("import.remember"), key="remember"):
        data.remember_mapping(kind, mapping)
        st.rerun()


def validation_report(kind: str, raw_bytes: bytes, name: str, lang: str, replace: bool) -> bool:
    """Whether the whole file passes every rule; if not, one row per broken rule naming column and lines."""
    try:
        data.validate_upload(kind, raw_bytes, name, replace)
    except InvalidInput as exc:
        st.subheader(state.tr("import.report"))
        st.caption(state.tr("import.report_file", file=name))
        st.error(state.tr("import.invalid", n=len(exc.problems)))
        st.dataframe(
            [
                {
                    state.tr("import.col_column"): p.column or "–",
                    state.tr("import.col_rule"): rule_text(p, lang),
                    state.tr("import.col_lines"): ", ".join(map(str, p.lines[:20]))
                    + (" …" if len(p.lines) > 20 else ""),
                }
                for p in exc.problems
            ],
            hide_index=True,
            width="stretch",
        )
        return False
    st.success(state.tr("import.valid"))
    return True


def upload_section(kind: str, upload: Any, replace: bool, lang: str, version: int) -> int:
    """Preview, mapping, validation and the import itself; the data version after it."""
    raw_bytes = upload.getvalue()
    try:
        raw = data.preview(raw_bytes, upload.name)
    except InvalidInput as exc:
        st.error(exc.text(lang))
        st.stop()
    st.subheader(state.tr("import.preview", rows=i18n.fmt_number(len(raw), lang)))
    st.dataframe(raw.head(20), hide_index=True, width="stretch")
    mapping_form(kind, list(raw.columns), lang, version)
    valid = validation_report(kind, raw_bytes, upload.name, lang, replace)
    if not st.button(state.tr("import.go"), type="primary", disabled=not valid, key="import_go"):
        return version
    bar = st.progress(0.0, text=state.tr("import.progress"))
    try:
        result = data.import_upload(
            kind,
            raw_bytes,
            upload.name,
            replace=replace,
            user=auth.user_name(),
            progress=lambda f, step: bar.progress(f, text=state.tr("import.progress")),
        )
    except InvalidInput as exc:
        bar.empty()
        st.error(exc.text(lang))
    else:
        bar.empty()  # the outcome replaces the bar: a finished import shows no progress
        key = "import.done" if result.changed else "import.unchanged"
        st.success(state.tr(key, rows=i18n.fmt_number(result.rows, lang), file=upload.name))
    return data.data_version()  # the log below shows this import, or its refusal


def log_section(lang: str, version: int) -> None:
    """Every import with who, when and what came of it; an import may be undone (asked twice)."""
    st.subheader(state.tr("import.log"))
    log = data.load_import_log(version)
    if log.empty:
        st.info(state.tr("import.no_log"))
        return
    shown = log.assign(
        kind=log["kind"].map(lambda k: i18n.t(f"import.kind_{k}", lang)),
        rows=log["rows"].map(lambda n: i18n.fmt_number(n, lang)),
        result=[data.outcome_text(r, d, lang) for r, d in zip(log["result"], log["detail"], strict=True)],
    )
    columns = ["id", "kind", "file_name", "rows", "imported_by", "imported_at", "result", "file_hash"]
    st.dataframe(
        shown[columns].rename(columns={c: state.tr(f"import.log_{c}") for c in columns}),
        hide_index=True,
        width="stretch",
        column_config={
            state.tr("import.log_rows"): st.column_config.TextColumn(alignment="right"),
            state.tr("import.log_result"): st.column_config.TextColumn(width="large"),  # a refusal names its rules
        },
    )
    undo_section(shown[log["result"] == data.IMPORTED].set_index("id"), lang)


def undo_section(undoable: pd.DataFrame, lang: str) -> None:
    if undoable.empty:
        return
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    batch = c1.selectbox(
        state.tr("import.undo_batch"),
        undoable.index.tolist(),
        format_func=lambda i: f"{i} · {undoable.at[i, 'kind']} · {undoable.at[i, 'file_name']}",
        key="undo_batch",
    )
    c2.button(state.tr("import.undo"), key="undo")
    entry = undoable.loc[batch]
    question = state.tr(
        "import.undo_confirm",
        batch=batch,
        rows=entry["rows"],
        kind=entry["kind"],
        file=entry["file_name"],
        user=entry["imported_by"],
        when=i18n.fmt_date(entry["imported_at"].date(), lang),
    )
    if widgets.asked_twice("undo", batch, question, state.tr("import.undo_yes")):
        try:
            removed = data.undo_import(int(batch), auth.user_name())
        except InvalidInput as exc:  # undone meanwhile, from another session
            st.error(exc.text(lang))
        else:
            st.toast(state.tr("import.undone", rows=i18n.fmt_number(removed, lang), batch=batch))
            st.rerun()


def import_page() -> None:
    """Settings (the kind and the file), then the upload's steps, then the log."""
    lang, version, _ = widgets.page_start(filters=False)
    st.title(state.tr("import.title"))
    st.caption(state.tr("import.caption"))
    left, right = st.columns([1, 2])
    kind = left.selectbox(
        state.tr("import.kind"),
        data.IMPORT_KINDS,
        format_func=lambda k: i18n.t(f"import.kind_{k}", lang),
        key="import_kind",
    )
    # a setting beside the kind, rendered in every run: a widget shown only with a file would be forgotten in
    # the run between taking one file away and dropping the next (stored periods are refused unless it is set)
    replace = left.checkbox(state.tr("import.replace"), key="import_replace")
    upload = right.file_uploader(state.tr("import.file"), type=["csv", "xlsx", "parquet"], key="import_file")
    if upload is not None:
        version = upload_section(kind, upload, replace, lang, version)
    log_section(lang, version)


import_page()
