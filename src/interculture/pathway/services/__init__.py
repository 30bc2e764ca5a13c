"""The pathway's writes, by sub-domain; its reads are in `interculture.pathway.selectors`.

The names are re-exported so that `from interculture.pathway import services` reads as one API.
"""

from interculture.pathway.services.actions import (
    EDITABLE,
    ActionConflict,
    add_milestone,
    check_write,
    create_action,
    decide_recommendation,
    recommendations_from_report,
    set_milestone_done,
    update_action,
)
from interculture.pathway.services.exchange import (
    COLUMNS,
    LIMITS,
    ImportRejected,
    check_upload,
    export_actions,
    import_actions,
)
from interculture.pathway.services.programme import load_programme
from interculture.pathway.services.reminders import REMIND_EVERY, claim_periodic, send_overdue_reminders
from interculture.pathway.services.steps import record_step
from interculture.pathway.services.strategy import record_indicator, save_strategy
from interculture.pathway.services.visits import expert_for, record_visit

__all__ = [
    "COLUMNS",
    "EDITABLE",
    "LIMITS",
    "REMIND_EVERY",
    "ActionConflict",
    "ImportRejected",
    "add_milestone",
    "check_upload",
    "check_write",
    "claim_periodic",
    "create_action",
    "decide_recommendation",
    "expert_for",
    "export_actions",
    "import_actions",
    "load_programme",
    "recommendations_from_report",
    "record_indicator",
    "record_step",
    "record_visit",
    "save_strategy",
    "send_overdue_reminders",
    "set_milestone_done",
    "update_action",
]
