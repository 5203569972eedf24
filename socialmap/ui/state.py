"""Session-state keys in one place. Pages read and write ``st.session_state[KEY]`` only via these.

Nothing in session state is written to disk or logs; it lives as long as the browser tab.
"""

# -- common (lead) --
LANG = "lang"
REGION = "region"
CRISIS_SLOT = "_crisis_bar_slot"  # this run's sticky crisis bar (an st.empty), so a page can emphasise it

# -- advisor (Hulpwijzer) --
ADVISOR_MODE = "advisor_mode"
ADVISOR_STEP = "advisor_step"
ADVISOR_ANSWERS = "advisor_answers"
ADVISOR_OVERRIDE = "advisor_override"
ADVISOR_CHOSEN = "advisor_chosen_services"
ADVISOR_NOTES = "advisor_notes"
ADVISOR_LOADED_LINK = "advisor_loaded_link"  # the ?a= value already copied into the answers
ADVISOR_DANGER = "advisor_danger"  # step mode: "yes" / "no" to the safety question
ADVISOR_NEED = "advisor_need_answer"  # step mode: show "choose an answer first"
ADVISOR_OVERRIDE_REASON = "advisor_override_reason"
ADVISOR_MODE_URL = "advisor_mode_url"  # the ?mode= value last applied (so a new link can switch the mode)
ADVISOR_PRACTICE_URL = "advisor_practice_url"  # the ?praktijk= value last applied
ADVISOR_LINK_NOTE = "advisor_link_note"  # a reopened link was made with an earlier contract version

# -- map (Sociale kaart / Wijkprofiel / Dekking) --
MAP_FILTERS = "map_filters"
MAP_SELECTED_AREA = "map_selected_area"
MAP_SELECTED_SERVICE = "map_selected_service"
MAP_QUERY = "map_query"  # keyword search text (widget)
MAP_POSTCODE = "map_postcode"  # postcode search text (widget)
MAP_LEVELS = "map_levels"  # filter widgets
MAP_CONCERNS = "map_concerns"
MAP_AGE = "map_age"
MAP_ACCESS = "map_access"
MAP_OPEN_NOW = "map_open_now"
MAP_WALK_IN = "map_walk_in"
MAP_LANGUAGES = "map_languages"
MAP_HIDE_ILLUSTRATIVE = "map_hide_illustrative"
MAP_URL_SEEN = "map_url_seen"  # the query parameters last applied to / written from the widgets
MAP_FOCUS = "map_focus"  # the area the map zooms to (from the URL), not changed by clicks
MAP_LIST_SEEN = "map_list_seen"  # the last list row handled
MAP_LAST_CLICK = "map_last_click"  # the last map click handled (so a stale click is not re-applied)
MAP_PROFILE_CODE = "map_profile_code"  # Wijkprofiel select box
MAP_PROFILE_DISTANCE = "map_profile_distance"
MAP_DEKKING_DISTANCE = "map_dekking_distance"

# -- atlas (Zorgroutes) --
ATLAS_PRACTICE_INDEX = "atlas_practice_index"
ATLAS_PRACTICE_ANSWER = "atlas_practice_answer"
ATLAS_PRACTICE_PICK = "atlas_practice_pick"  # radio widget: the learner's level
ATLAS_PRACTICE_SCORE = "atlas_practice_score"  # {"points", "max", "cases"} for this tab only
ATLAS_CALL_CONCERN = "atlas_call_concern"
ATLAS_CALL_AGE = "atlas_call_age"
ATLAS_CALL_WIJK = "atlas_call_wijk"
ATLAS_CALL_POSTCODE = "atlas_call_postcode"
ATLAS_SHEET_WIJK = "atlas_sheet_wijk"

# -- curation (Beheer) --
CURATOR_USER = "curator_user"
CURATOR_DRAFT = "curator_draft"
