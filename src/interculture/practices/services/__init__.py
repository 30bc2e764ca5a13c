"""Writing the practice base: save with versions, moderate, load the seed content.

One module per sub-domain; the names callers use are re-exported here, so
`from interculture.practices import services` keeps working."""

from interculture.practices.services.duplicates import possible_duplicates
from interculture.practices.services.moderation import (
    REVISION_TRANSITIONS,
    TRANSITIONS,
    TransitionNotAllowed,
    transition,
)
from interculture.practices.services.prepared import Prepared, prepare
from interculture.practices.services.saving import Incoming, save, save_many
from interculture.practices.services.seed import bulk_create, load_seed_practices, seed_files
from interculture.practices.services.validation import FieldError, PracticeInvalid, icc_area_ids, validate
from interculture.practices.services.versions import HISTORY_FIELDS, VersionConflict, revision

__all__ = [
    "HISTORY_FIELDS",
    "REVISION_TRANSITIONS",
    "TRANSITIONS",
    "FieldError",
    "Incoming",
    "PracticeInvalid",
    "Prepared",
    "TransitionNotAllowed",
    "VersionConflict",
    "bulk_create",
    "icc_area_ids",
    "load_seed_practices",
    "possible_duplicates",
    "prepare",
    "revision",
    "save",
    "save_many",
    "seed_files",
    "transition",
    "validate",
]
