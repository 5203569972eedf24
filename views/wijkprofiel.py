"""Wijkprofiel: one wijk or buurt (``?code=WK…`` / ``BU…``) and a comparison of all wijken."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from socialmap import figures, i18n, profiles, vocab
from socialmap.errors import InputError
from socialmap.i18n import t
from socialmap.ui import common, state
from socialmap.ui import figures as ui_figures
from socialmap.ui import maps as ui_maps

lang = common.current_lang()
region, atlas = common.region_switch(lang)  # several regions: the user picks one
md = common.md_escape


def _km(metres: float | None) -> str:
    if metres is None or pd.isna(metres):
        return t("map.profile.remote", lang)
    return figures.km(metres, lang)


@st.cache_data(show_spinner=False, max_entries=256)
def _profile(region_id: str, code: str, distance: int, include: bool) -> profiles.AreaProfile:
    return profiles.area_profile(common.get_atlas(region_id), code, distance, include_examples=include)


@st.cache_data(show_spinner=False)
def _labels(region_id: str, language: str) -> dict[str, str]:
    """Select-box labels of every wijk and buurt (built once per region and language)."""
    areas = common.get_atlas(region_id).areas
    out: dict[str, str] = {}
    for kind in ("wijk", "buurt"):
        label, rows = t(f"map.kind.{kind}", language), areas.loc[areas["kind"] == kind, "name"]
        out.update((str(c), f"{name} ({label}, {c})") for c, name in zip(rows.index, rows))
    return out


def _num(value: int | None) -> str:
    if value is None:
        return "–"
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "nl" else text


def _contact_line(item: profiles.ServiceReach, org_id: str) -> str:
    """Phone, e-mail and website of a service (its organisation's when it has none), or where to ask."""
    orgs = atlas.organizations

    def org_field(name: str) -> str:
        value = orgs.at[org_id, name] if org_id in orgs.index else None
        return "" if value is None or pd.isna(value) else str(value).strip()

    phone, email, url = item.phone or org_field("phone"), item.email or org_field("email"), item.url or org_field("url")
    parts = []
    if phone:
        parts.append(f"📞 [{md(phone)}](tel:{''.join(ch for ch in phone if ch.isdigit() or ch == '+')})")
    if email:
        parts.append(f"✉️ {md(email)}")
    if url:
        parts.append("🌐 " + ui_maps.md_link(t("map.card.website", lang), url))
    if parts:
        return " · ".join(parts)
    own_cjg = "cjg" in f"{item.name} {atlas.organizations['name'].get(org_id, '')}".lower()
    return t("map.honest.no_contact_cjg", lang) if own_cjg else t("atlas.call.no_contact", lang)


def _contact_cards(items: tuple[profiles.ServiceReach, ...]) -> None:
    """The wijkteam and CJG as cards per organisation (readable on a phone, no sideways scrolling)."""
    by_org: dict[str, list[profiles.ServiceReach]] = {}
    for item in items:
        by_org.setdefault(str(atlas.services.at[item.service_id, "organization_id"]), []).append(item)
    names = atlas.organizations["name"]
    for org_id, services in by_org.items():
        with st.container(border=True):
            st.markdown(f"**{md(names.get(org_id, org_id))}**")
            for item in services:
                st.markdown(f"{common.status_badge(item.status, lang)} {md(item.name)} · "
                            f"{md(i18n.label('level', item.level, lang))}  \n{_contact_line(item, org_id)}")


st.title(t("map.profile.title", lang))
st.caption(t("map.profile.intro", lang))

labels = _labels(region, lang)
choices = list(labels)

requested = str(st.query_params.get("code", "") or "").strip().upper()
if requested and requested != st.session_state.get("_map_profile_url"):
    st.session_state["_map_profile_url"] = requested
    if requested in choices:
        st.session_state[state.MAP_PROFILE_CODE] = requested
    else:
        try:
            atlas.area(requested)
            st.error(t("map.profile.not_wijk", lang, code=md(requested)), icon="⚠️")
        except InputError as exc:
            st.error(md(exc), icon="⚠️")
if st.session_state.get(state.MAP_PROFILE_CODE) not in choices:
    st.session_state[state.MAP_PROFILE_CODE] = choices[0] if choices else None

reach = int(atlas.region.reach_m)
if state.MAP_PROFILE_DISTANCE not in st.session_state:
    st.session_state[state.MAP_PROFILE_DISTANCE] = reach

col_pick, col_dist = st.columns([3, 2])
with col_pick:
    code = st.selectbox(t("map.profile.pick", lang), choices, key=state.MAP_PROFILE_CODE,
                        format_func=lambda c: labels.get(c, c))
with col_dist:
    distance = st.slider(t("map.profile.distance", lang), min_value=500, max_value=10000, step=250,
                         key=state.MAP_PROFILE_DISTANCE, help=t("map.profile.distance_help", lang, reach=reach))
if code and st.query_params.get("code") != code:
    st.query_params["code"] = code
    st.session_state["_map_profile_url"] = code

if not code:
    st.info(t("map.profile.no_areas", lang))
    st.stop()

include = ui_figures.include_examples("profile_include_examples", lang)
profile = _profile(region, code, int(distance), include)
area = profile.area
st.header(f"{md(area.name)}")
if area.parent_code and area.parent_code != area.municipality_code:
    st.caption(t("map.profile.where", lang, kind=t(f"map.kind.{area.kind}", lang), code=area.code,
                 parent=md(atlas.area(area.parent_code).name), municipality=md(area.municipality_name)))
else:
    st.caption(t("map.profile.where_short", lang, kind=t(f"map.kind.{area.kind}", lang), code=area.code,
                 municipality=md(area.municipality_name)))
st.page_link("views/sociale_kaart.py", label=t("map.profile.on_map", lang), icon="🗺️",
             query_params={"area": area.code})

# ---- figures --------------------------------------------------------------------------------
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("map.profile.population", lang), _num(profile.population))
c2.metric(t("map.profile.age_0_14", lang), _num(profile.age_0_14))
c3.metric(t("map.profile.age_15_24", lang), _num(profile.age_15_24))
n_real = sum(1 for s in profile.services if figures.is_real(s.status))
c4.metric(t("map.honest.services_real", lang), str(n_real))
if include and len(profile.services) > n_real:
    c4.caption(t("map.honest.plus_examples", lang, n=len(profile.services) - n_real))
if profile.figures_code != area.code:
    st.caption(t("map.profile.figures_of_wijk", lang, name=md(atlas.area(profile.figures_code).name)))
st.caption(t("map.profile.source_cbs", lang))

# ---- gaps -----------------------------------------------------------------------------------
gaps = profile.gaps_figure
if not gaps.shown:
    st.info(t("map.honest.gaps_too_few", lang, km=_km(distance), too_few=figures.too_few_text(gaps, lang)), icon="❔")
elif gaps.value:
    text = t("map.profile.gaps", lang, km=_km(distance), levels=", ".join(
        i18n.label("level", g, lang) for g in gaps.value))
    st.warning(f"{text} ({ui_figures.markdown_text_basis(gaps, lang)})", icon="🕳️")
else:
    text = t("map.profile.no_gaps", lang, km=_km(distance))
    if gaps.is_example:
        st.info(f":gray[{text}] ({ui_figures.markdown_text_basis(gaps, lang)})", icon="❔")
    else:
        st.success(f"{text} ({ui_figures.markdown_text_basis(gaps, lang)})", icon="✅")

# ---- contacts -------------------------------------------------------------------------------
st.subheader(t("map.profile.contacts", lang))
if profile.contacts:
    _contact_cards(profile.contacts)
else:
    st.info(t("map.profile.no_contacts", lang))

# ---- services per level ---------------------------------------------------------------------
st.subheader(t("map.profile.services", lang))
by_level = profile.by_level()
for level in vocab.LEVELS:
    items = by_level.get(level, [])
    if not items:
        continue
    with st.expander(f"{i18n.label('level', level, lang)} ({len(items)})", expanded=level in profiles.LIGHT_LEVELS):
        st.dataframe(pd.DataFrame({
            t("map.list.name", lang): [s.name for s in items],
            t("map.profile.distance_col", lang): [_km(s.distance_m) for s in items],
            t("map.list.waiting", lang): ["–" if s.waiting_weeks is None else str(s.waiting_weeks) for s in items],
            t("map.profile.waiting_as_of", lang): [str(s.waiting_as_of or "") for s in items],
            t("map.card.access", lang): [i18n.label("access", s.access_route, lang) for s in items],
            t("map.list.status", lang): [i18n.label("status", s.status, lang) for s in items],
        }), hide_index=True, width="stretch")

# ---- GP practices ---------------------------------------------------------------------------
st.subheader(t("map.profile.practices", lang, km=_km(distance)))
if profile.practices:
    st.dataframe(pd.DataFrame({
        t("map.profile.practice", lang): [p.name for p in profile.practices],
        t("map.profile.address", lang): [p.address for p in profile.practices],
        t("map.profile.youth_professional", lang): [i18n.label("professional", p.youth_professional, lang)
                                                     for p in profile.practices],
        t("map.profile.youth_days", lang): [", ".join(i18n.label("weekday", d, lang) for d in p.youth_days) or "–"
                                             for p in profile.practices],
        t("map.profile.distance_col", lang): [_km(p.distance_m) for p in profile.practices],
    }), hide_index=True, width="stretch")
else:
    st.info(t("map.profile.no_practices", lang, km=_km(distance)))

# ---- all wijken -----------------------------------------------------------------------------
st.subheader(t("map.profile.compare", lang))
table = ui_maps.comparison_table(region, int(distance), include)
shown = table.copy()
shown["gaps"] = [", ".join(i18n.label("level", g, lang) for g in str(v).split(";") if g)
                 if n >= figures.MIN_REAL else t("map.honest.tip_too_few", lang, n=n)
                 for v, n in zip(shown["gaps"], table["services_real"])]
shown["youth_per_light_service"] = shown["youth_per_light_service"].round(0).astype("Int64")
light_real = ui_maps.coverage(region, int(distance), include)["light_real"].reindex(shown["code"]).to_numpy()
shown.loc[light_real < figures.MIN_REAL, "youth_per_light_service"] = pd.NA
shown["nearest_light_m"] = shown["nearest_light_m"].round(0).astype("Int64")
columns = {"code": t("map.compare.code", lang), "name": t("map.compare.name", lang),
           "municipality": t("map.compare.municipality", lang), "population": t("map.profile.population", lang),
           "age_0_14": t("map.profile.age_0_14", lang), "age_15_24": t("map.profile.age_15_24", lang),
           **{level: i18n.label("level", level, lang) for level in vocab.LEVELS},
           "youth_per_light_service": t("map.compare.youth_per_light", lang),
           "nearest_light_m": t("map.compare.nearest_light_m", lang), "gaps": t("map.compare.gaps", lang),
           "services_real": t("map.honest.services_real_col", lang)}
shown = shown.rename(columns=columns)
st.dataframe(shown, hide_index=True, width="stretch")
st.caption(t("map.compare.help", lang, km=_km(distance)) + " " + t("map.honest.compare_help", lang, min=figures.MIN_REAL))
st.download_button(t("map.compare.download", lang), data=shown.to_csv(index=False).encode("utf-8"),
                   file_name=f"wijken_{atlas.region.id}.csv", mime="text/csv", key="map_compare_csv")
common.illustrative_notice(atlas, lang, [s.service_id for s in profile.services] or None)
