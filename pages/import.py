"""Import: upload, preview, map unknown columns once, validate, import atomically; the log, and undo."""

import streamlit as st

import ui
from di_metrics import i18n
from di_metrics.errors import InvalidInput, rule_text
from di_metrics.storage import ingest
from di_metrics.storage.formats import FORMATS
from di_metrics.storage.parsing import read_text_frame

lang, version, _ = ui.page_start(filters=False)


st.title(ui.tr("import.title"))
st.caption(ui.tr("import.caption"))

left, right = st.columns([1, 2])
kind = left.selectbox(
    ui.tr("import.kind"), ingest.KINDS, format_func=lambda k: i18n.t(f"import.kind_{k}", lang), key="import_kind"
)
upload = right.file_uploader(ui.tr("import.file"), type=["csv", "xlsx", "parquet"], key="import_file")

if upload is not None:
    data = upload.getvalue()
    try:
        raw = read_text_frame(data, upload.name)
    except InvalidInput as exc:
        st.error(exc.text(lang))
        st.stop()
    st.subheader(ui.tr("import.preview", rows=i18n.fmt_number(len(raw), lang)))
    st.dataframe(raw.head(20), hide_index=True, width="stretch")

    expected = [c.name for c in FORMATS[kind].columns]
    remembered = ui.load_mapping(kind, version)
    known = set(FORMATS[kind].lookup()) | set(remembered)
    unknown = [c for c in raw.columns if c not in known]
    if unknown and not FORMATS[kind].open_columns:
        st.subheader(ui.tr("import.mapping"))
        st.caption(ui.tr("import.mapping_help"))
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
        if mapping and st.button(ui.tr("import.remember"), key="remember"):
            ui.write(lambda conn: ingest.remember_mapping(conn, kind, mapping))
            st.rerun()

    try:
        ingest.validate_bytes(ui.engine(), kind, data, upload.name)
    except InvalidInput as exc:
        st.subheader(ui.tr("import.report"))
        st.caption(ui.tr("import.report_file", file=upload.name))
        st.error(ui.tr("import.invalid", n=len(exc.problems)))
        st.dataframe(
            [
                {
                    ui.tr("import.col_column"): p.column or "–",
                    ui.tr("import.col_rule"): rule_text(p, lang),
                    ui.tr("import.col_lines"): ", ".join(map(str, p.lines[:20])) + (" …" if len(p.lines) > 20 else ""),
                }
                for p in exc.problems
            ],
            hide_index=True,
            width="stretch",
        )
        valid = False
    else:
        st.success(ui.tr("import.valid"))
        valid = True
    replace = st.checkbox(ui.tr("import.replace"), key="import_replace")
    if st.button(ui.tr("import.go"), type="primary", disabled=not valid, key="import_go"):
        bar = st.progress(0.0, text=ui.tr("import.progress"))
        try:
            result = ingest.import_bytes(
                ui.engine(),
                kind,
                data,
                upload.name,
                replace=replace,
                user=ui.user_name(),
                progress=lambda f, step: bar.progress(f, text=ui.tr("import.progress")),
            )
        except InvalidInput as exc:
            st.error(exc.text(lang))
            version = ui.data_version()  # the log below shows the refusal
        else:
            version = ui.data_version()  # the log below shows this import
            key = "import.done" if result.changed else "import.unchanged"
            st.success(ui.tr(key, rows=i18n.fmt_number(result.rows, lang), file=upload.name))

st.subheader(ui.tr("import.log"))


log = ui.load_import_log(version)
if log.empty:
    st.info(ui.tr("import.no_log"))
else:
    shown = log.assign(
        kind=log["kind"].map(lambda k: i18n.t(f"import.kind_{k}", lang)),
        rows=log["rows"].map(lambda n: i18n.fmt_number(n, lang)),
        result=[ingest.outcome_text(r, d, lang) for r, d in zip(log["result"], log["detail"], strict=True)],
    )
    columns = ["id", "kind", "file_name", "rows", "imported_by", "imported_at", "result", "file_hash"]
    st.dataframe(
        shown[columns].rename(columns={c: ui.tr(f"import.log_{c}") for c in columns}),
        hide_index=True,
        width="stretch",
        column_config={
            ui.tr("import.log_rows"): st.column_config.TextColumn(alignment="right"),
            ui.tr("import.log_result"): st.column_config.TextColumn(width="large"),  # a refusal names its rules
        },
    )
    undoable = shown[log["result"] == ingest.IMPORTED].set_index("id")
    if not undoable.empty:
        c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
        batch = c1.selectbox(
            ui.tr("import.undo_batch"),
            undoable.index.tolist(),
            format_func=lambda i: f"{i} · {undoable.at[i, 'kind']} · {undoable.at[i, 'file_name']}",
            key="undo_batch",
        )
        c2.button(ui.tr("import.undo"), key="undo")
        entry = undoable.loc[batch]
        question = ui.tr(
            "import.undo_confirm",
            batch=batch,
            rows=entry["rows"],
            kind=entry["kind"],
            file=entry["file_name"],
            user=entry["imported_by"],
            when=i18n.fmt_date(entry["imported_at"].date(), lang),
        )
        if ui.asked_twice("undo", batch, question, ui.tr("import.undo_yes")):
            try:
                removed = ingest.undo_batch(ui.engine(), int(batch), ui.user_name())
            except InvalidInput as exc:  # undone meanwhile, from another session
                st.error(exc.text(lang))
            else:
                st.toast(ui.tr("import.undone", rows=i18n.fmt_number(removed, lang), batch=batch))
                st.rerun()
