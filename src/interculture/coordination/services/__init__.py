"""Coordination's writes, by sub-domain; its reads are in `interculture.coordination.selectors`.

The names are re-exported so that `from interculture.coordination import services` reads as one API.
"""

from interculture.coordination.services.fact_sheets import (
    FACT_SHEET_FROM_PART2,
    fact_sheet_of,
    propose_practice,
)
from interculture.coordination.services.meetings import (
    DecisionConflict,
    can_record,
    record_meeting,
    update_decision,
)
from interculture.coordination.services.positions import (
    co_sign,
    draft_position,
    mark_position_sent,
    record_peer_activity,
    record_position_answer,
)
from interculture.coordination.services.stakeholders import load_stakeholders
from interculture.coordination.services.survey import (
    SavedSection,
    SurveyError,
    add_item,
    country_code,
    field_key,
    remove_item,
    reopen_response,
    save_section,
    start_response,
    submit_response,
    survey_questionnaire,
)
from interculture.coordination.services.survey_data import load_synthetic_survey

__all__ = [
    "FACT_SHEET_FROM_PART2",
    "DecisionConflict",
    "SavedSection",
    "SurveyError",
    "add_item",
    "can_record",
    "co_sign",
    "country_code",
    "draft_position",
    "fact_sheet_of",
    "field_key",
    "load_stakeholders",
    "load_synthetic_survey",
    "mark_position_sent",
    "propose_practice",
    "record_meeting",
    "record_peer_activity",
    "record_position_answer",
    "remove_item",
    "reopen_response",
    "save_section",
    "start_response",
    "submit_response",
    "survey_questionnaire",
    "update_decision",
]
