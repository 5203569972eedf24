"""Session-state keys in one place. Pages read and write ``st.session_state[KEY]`` only via these.

Nothing in session state is written to disk or logs; it lives as long as the browser tab.
"""

# -- common (lead) --
LANG = "lang"
REGION = "region"

# -- advisor (Hulpwijzer) --
ADVISOR_MODE = "advisor_mode"
ADVISOR_STEP = "advisor_step"
ADVISOR_ANSWERS = "advisor_answers"
ADVISOR_OVERRIDE = "advisor_override"
ADVISOR_CHOSEN = "advisor_chosen_services"
ADVISOR_NOTES = "advisor_notes"

# -- map (Sociale kaart / Wijkprofiel / Dekking) --
MAP_FILTERS = "map_filters"
MAP_SELECTED_AREA = "map_selected_area"
MAP_SELECTED_SERVICE = "map_selected_service"

# -- atlas (Zorgroutes) --
ATLAS_PRACTICE_INDEX = "atlas_practice_index"
ATLAS_PRACTICE_ANSWER = "atlas_practice_answer"

# -- curation (Beheer) --
CURATOR_USER = "curator_user"
CURATOR_DRAFT = "curator_draft"
