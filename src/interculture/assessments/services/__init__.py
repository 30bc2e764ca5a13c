"""Writing assessments, by sub-domain: questionnaires, answers, cities and the rounds' workflow.

New code imports the module it needs (`from interculture.assessments.services import workflow`);
the names below stay importable from the package for the callers written before the split."""

from __future__ import annotations

from interculture.assessments.services.answers import (
    MAX_COMMENT_LENGTH,
    MAX_EVIDENCE_LINKS,
    MAX_LINK_LENGTH,
    AnswerConflict,
    AnswersRejected,
    clean_evidence,
    record_answer,
    save_answers,
)
from interculture.assessments.services.cities import (
    check_country,
    coordinates,
    generate_synthetic_sample,
    import_city_file,
    published_sample_means,
)
from interculture.assessments.services.questionnaires import (
    engine_questionnaire,
    import_questionnaire,
    sync_bundled_questionnaires,
)
from interculture.assessments.services.workflow import (
    OpenedRound,
    Step,
    SubmissionRefused,
    WorkflowError,
    assign_areas,
    check_step,
    comment_on_answers,
    edit_answer,
    missing_mandatory,
    open_round,
    publish_round,
    request_changes,
    submit_round,
    validate_round,
)

__all__ = [
    "MAX_COMMENT_LENGTH",
    "MAX_EVIDENCE_LINKS",
    "MAX_LINK_LENGTH",
    "AnswerConflict",
    "AnswersRejected",
    "OpenedRound",
    "Step",
    "SubmissionRefused",
    "WorkflowError",
    "assign_areas",
    "check_country",
    "check_step",
    "clean_evidence",
    "comment_on_answers",
    "coordinates",
    "edit_answer",
    "engine_questionnaire",
    "generate_synthetic_sample",
    "import_city_file",
    "import_questionnaire",
    "missing_mandatory",
    "open_round",
    "publish_round",
    "published_sample_means",
    "record_answer",
    "request_changes",
    "save_answers",
    "submit_round",
    "sync_bundled_questionnaires",
    "validate_round",
]
