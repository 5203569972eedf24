"""Start page: who this is for and where to begin."""

import streamlit as st

from socialmap import i18n
from socialmap.ui import common

lang = common.current_lang()
atlas = common.get_atlas(common.region_id())

st.title(i18n.t("common.app_title", lang))
st.caption(i18n.t("common.app_subtitle", lang))
st.write(i18n.t("common.start.intro", lang))

kinds = atlas.areas["kind"]
st.write(i18n.t("common.start.stats", lang, services=len(atlas.services), wijken=int((kinds == "wijk").sum()),
                buurten=int((kinds == "buurt").sum()), region=common.md_escape(atlas.region.name)))

col1, col2, col3 = st.columns(3)
with col1, st.container(border=True):
    st.write(i18n.t("common.start.for_gp", lang))
    st.page_link("views/hulpwijzer.py", label=i18n.t("common.start.gp_link", lang), icon="🧭",
                 query_params={"mode": "snel"})
with col2, st.container(border=True):
    st.write(i18n.t("common.start.for_parent", lang))
    st.page_link("views/hulpwijzer.py", label=i18n.t("common.start.parent_link", lang), icon="🧭",
                 query_params={"mode": "stap"})
with col3, st.container(border=True):
    st.write(i18n.t("common.start.for_poh", lang))
    st.page_link("views/zorgroutes.py", label=i18n.t("common.nav.zorgroutes", lang), icon="🪜")
common.illustrative_notice(atlas, lang)
