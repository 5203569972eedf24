"""Dekking lichte hulp: light-help coverage per wijk as a choropleth, for policy officers.

Figures count real services only (see ``socialmap.figures``); a wijk with fewer than
``figures.MIN_REAL`` real light-help services is grey ("te weinig echte gegevens"). A toggle
includes the examples: the figures are then example figures, labelled so.
"""

from __future__ import annotations

import html

import pandas as pd
import pyarrow as pa
import streamlit as st

from socialmap import coverage, figures, maps, profiles
from socialmap.i18n import t
from socialmap.ui import common, state
from socialmap.ui import figures as ui_figures
from socialmap.ui import maps as ui_maps

lang = common.current_lang()
region = common.region_id()
atlas = common.get_atlas(region)
md = common.md_escape

TOO_FEW_COLOUR = coverage.TOO_FEW_COLOUR


@st.cache_data(show_spinner=False)
def _light_share(region_id: str) -> tuple[int, int]:
    """(illustrative, all) light-help services: what common.illustrative_notice says, counted once."""
    svc = common.get_atlas(region_id).services
    status = svc.loc[svc["level"].isin(profiles.LIGHT_LEVELS), "status"]
    return int((status == "illustrative").sum()), int(len(status))


@st.cache_resource(show_spinner=False, max_entries=32)
def _table(region_id: str, distance: int, language: str, include: bool, show_far: bool) -> pa.Table:
    """The table below the map, as Arrow (converted once per region, distance, language, examples)."""
    cov = ui_maps.coverage(region_id, distance, include)
    if not include:
        cov = cov.assign(youth_per_service=cov["youth_per_service"].where(cov["enough"].astype(bool)))
    cov = cov.sort_values("youth_per_service", ascending=False, na_position="first")
    per_service = cov["youth_per_service"].round(0).astype("Int64")
    if not include:  # too few real services: words, not a number
        per_service = [str(v) if ok and not pd.isna(v) else ("" if ok else t("map.honest.tip_too_few", language, n=n))
                       for v, ok, n in zip(per_service, cov["enough"], cov["light_real"])]
    frame = pd.DataFrame({
        t("map.compare.name", language): cov["name"],
        t("map.compare.municipality", language): cov["municipality"],
        t("map.dekking.tip_youth", language): cov["youth_0_24"],
        t("map.dekking.tip_services", language): cov["light_services"],
        t("map.honest.col_n", language): cov["light_real"],
        t("map.dekking.tip_per_service", language): per_service,
        t("map.dekking.tip_nearest_m", language): cov["nearest_m"].round(0).astype("Int64"),
        t("map.dekking.far_col", language): [t("map.dekking.yes", language) if v and show_far else ""
                                             for v in cov["far"]],
    })
    return pa.Table.from_pandas(frame, preserve_index=False)


st.title(t("map.dekking.title", lang))
st.write(t("map.dekking.intro", lang))

reach = int(atlas.region.reach_m)
if state.MAP_DEKKING_DISTANCE not in st.session_state:
    st.session_state[state.MAP_DEKKING_DISTANCE] = reach
c_dist, c_examples = st.columns([3, 2])
distance = c_dist.slider(t("map.dekking.distance", lang), min_value=500, max_value=10000, step=250,
                         key=state.MAP_DEKKING_DISTANCE, help=t("map.profile.distance_help", lang, reach=reach))
with c_examples:
    include = ui_figures.include_examples("dekking_include_examples", lang)
km_text = figures.number(distance / 1000, lang, 2)

summary = coverage.summary(atlas, int(distance), include)
if summary.shown:
    none, far, n = summary.value
    key = "map.honest.dekking_summary_examples" if include else "map.honest.dekking_summary"
    text = t(key, lang, n=n, none=none, far=far, km=km_text)
    basis = ui_figures.markdown_text_basis(summary, lang)
    st.markdown(f":gray[{text}] ({basis})" if summary.is_example else f"{text} ({basis}).")
else:
    st.markdown(t("map.honest.dekking_too_few", lang, too_few=figures.too_few_text(summary, lang)))

cov = ui_maps.coverage(region, int(distance), include)
if include:
    st.markdown(f":gray-badge[{figures.example_label(lang)}] " + t("figures.include_examples_help", lang))
else:
    n_few = int((~cov["enough"]).sum())
    if n_few:
        st.caption(t("map.honest.dekking_wijk_too_few", lang, min=figures.MIN_REAL, k=n_few, n=len(cov)))

col_map, col_legend = st.columns([3, 1])
with col_map:
    # prepared once per view and shared (socialmap.coverage); with a key the element id does not
    # hash the (national: megabytes of) spec on every rerun
    st.pydeck_chart(coverage.choropleth(atlas, int(distance), lang, include, ui_maps.asset_base()), height=520,
                    key="dekking_map")
with col_legend:
    rows = [f"<b>{html.escape(t('map.dekking.legend_title', lang))}</b>"]
    legend = list(maps.coverage_legend(lang))
    if not include:
        legend.append((TOO_FEW_COLOUR, t("map.honest.class_too_few", lang)))
    for (r, g, b, _a), label in legend:
        rows.append(f'<div><span style="display:inline-block;width:14px;height:14px;background:rgb({r},{g},{b});'
                    f'border:1px solid #888;margin-right:6px;vertical-align:middle"></span>{html.escape(label)}</div>')
    if summary.shown:
        rows.append(f'<div style="margin-top:6px"><span style="display:inline-block;width:14px;height:14px;'
                    f'border:3px solid rgb(189,0,38);margin-right:6px;vertical-align:middle"></span>'
                    f'{html.escape(t("map.dekking.legend_far", lang, km=km_text))}</div>')
    st.markdown("".join(rows), unsafe_allow_html=True)

with st.expander(t("map.dekking.how_title", lang), expanded=False):
    st.markdown(t("map.dekking.how", lang, km=km_text))
    st.markdown(t("figures.explain", lang, min=figures.MIN_REAL))

st.dataframe(_table(region, int(distance), lang, include, summary.shown), hide_index=True, width="stretch")
st.caption(t("map.profile.source_cbs", lang))
examples, light = _light_share(region)
if light:
    st.caption(t("common.notice.illustrative", lang, n=examples, total=light, pct=round(100 * examples / light)))
