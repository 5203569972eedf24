"""Dekking lichte hulp: light-help coverage per wijk as a choropleth, for policy officers."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from socialmap import maps, profiles
from socialmap.i18n import t
from socialmap.ui import common, state
from socialmap.ui import maps as ui_maps

lang = common.current_lang()
region = common.region_id()
atlas = common.get_atlas(region)
md = common.md_escape

st.title(t("map.dekking.title", lang))
st.write(t("map.dekking.intro", lang))

reach = int(atlas.region.reach_m)
if state.MAP_DEKKING_DISTANCE not in st.session_state:
    st.session_state[state.MAP_DEKKING_DISTANCE] = reach
distance = st.slider(t("map.dekking.distance", lang), min_value=500, max_value=10000, step=250,
                     key=state.MAP_DEKKING_DISTANCE, help=t("map.profile.distance_help", lang, reach=reach))

cov = ui_maps.coverage(region, int(distance))
col_map, col_legend = st.columns([3, 1])
with col_map:
    st.pydeck_chart(maps.coverage_deck(atlas, cov, lang, asset_base=ui_maps.asset_base()), height=520)
with col_legend:
    rows = [f"<b>{html.escape(t('map.dekking.legend_title', lang))}</b>"]
    for (r, g, b, _a), label in maps.coverage_legend(lang):
        rows.append(f'<div><span style="display:inline-block;width:14px;height:14px;background:rgb({r},{g},{b});'
                    f'border:1px solid #888;margin-right:6px;vertical-align:middle"></span>{html.escape(label)}</div>')
    rows.append(f'<div style="margin-top:6px"><span style="display:inline-block;width:14px;height:14px;'
                f'border:3px solid rgb(189,0,38);margin-right:6px;vertical-align:middle"></span>'
                f'{html.escape(t("map.dekking.legend_far", lang, km=f"{distance / 1000:g}"))}</div>')
    st.markdown("".join(rows), unsafe_allow_html=True)

n_far = int(cov["far"].sum())
n_none = int((cov["light_services"] == 0).sum())
st.markdown(t("map.dekking.summary", lang, n=len(cov), far=n_far, none=n_none, km=f"{distance / 1000:g}"))

with st.expander(t("map.dekking.how_title", lang), expanded=True):
    st.markdown(t("map.dekking.how", lang, km=f"{distance / 1000:g}"))

table = pd.DataFrame({
    t("map.compare.name", lang): cov["name"],
    t("map.compare.municipality", lang): cov["municipality"],
    t("map.dekking.tip_youth", lang): cov["youth_0_24"],
    t("map.dekking.tip_services", lang): cov["light_services"],
    t("map.dekking.tip_per_service", lang): cov["youth_per_service"].round(0).astype("Int64"),
    t("map.dekking.tip_nearest_m", lang): cov["nearest_m"].round(0).astype("Int64"),
    t("map.dekking.far_col", lang): [t("map.dekking.yes", lang) if v else "" for v in cov["far"]],
}).sort_values(t("map.dekking.tip_per_service", lang), ascending=False, na_position="first")
st.dataframe(table, hide_index=True, width="stretch")
st.caption(t("map.profile.source_cbs", lang))
common.illustrative_notice(atlas, lang, list(atlas.services.index[atlas.services["level"].isin(profiles.LIGHT_LEVELS)]))
