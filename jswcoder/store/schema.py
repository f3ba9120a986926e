"""The project schema and its named, versioned migrations.

``PRAGMA user_version`` holds the number of migrations applied; each migration runs in its own
transaction together with the version bump and a row in ``schema_migrations``, so a crash mid-way leaves
the previous version intact. Never edit a released migration: add a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from jswcoder.errors import JswError


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Database], None]


def _script(sql: str) -> Callable[[Database], None]:
    statements = [s.strip() for s in sql.split(";") if s.strip()]

    def apply(db: Database) -> None:
        for statement in statements:
            db.execute(statement)

    return apply


_INITIAL = """
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT;

CREATE TABLE project_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE coders (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE participants (
    uuid TEXT PRIMARY KEY,
    participant_group TEXT,
    interview_number INTEGER CHECK (interview_number > 0),
    format TEXT,
    mode TEXT,
    council_area TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX participants_interview ON participants (interview_number)
    WHERE interview_number IS NOT NULL;

CREATE TABLE transcripts (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    participant_uuid TEXT REFERENCES participants (uuid) ON DELETE SET NULL,
    text TEXT NOT NULL,
    length INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL UNIQUE,
    source_name TEXT NOT NULL,
    source_format TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    imported_by TEXT NOT NULL REFERENCES coders (uuid),
    imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX transcripts_participant ON transcripts (participant_uuid);

CREATE TABLE turns (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    timestamp TEXT,
    PRIMARY KEY (transcript_uuid, ordinal),
    CHECK (0 <= start AND start < "end")
) STRICT;

CREATE TABLE document_notes (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('header', 'footer', 'footnote', 'endnote', 'comment')),
    text TEXT NOT NULL,
    anchor INTEGER,
    PRIMARY KEY (transcript_uuid, ordinal)
) STRICT;

CREATE TABLE codes (
    uuid TEXT PRIMARY KEY,
    parent_uuid TEXT REFERENCES codes (uuid) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (name <> '' AND instr(name, '/') = 0),
    description TEXT NOT NULL DEFAULT '',
    colour TEXT CHECK (colour IS NULL OR colour GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'),
    position INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('preset', 'emergent')),
    created_by TEXT REFERENCES coders (uuid),
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX codes_sibling_name ON codes (coalesce(parent_uuid, ''), name);

CREATE TABLE codings (
    uuid TEXT PRIMARY KEY,
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    code_uuid TEXT NOT NULL REFERENCES codes (uuid) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    coder_uuid TEXT NOT NULL REFERENCES coders (uuid),
    created_at TEXT NOT NULL,
    CHECK (0 <= start AND start < "end")
) STRICT;
CREATE INDEX codings_transcript ON codings (transcript_uuid, start);
CREATE INDEX codings_code ON codings (code_uuid);

CREATE TABLE memos (
    uuid TEXT PRIMARY KEY,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'transcript', 'code', 'coding')),
    target_uuid TEXT,
    text TEXT NOT NULL,
    coder_uuid TEXT NOT NULL REFERENCES coders (uuid),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((target_kind = 'project') = (target_uuid IS NULL))
) STRICT;
CREATE INDEX memos_target ON memos (target_kind, target_uuid);
"""

# Full-text search over transcript texts: a contentless FTS5 index (the text is stored once, in
# transcripts) whose rowids are kept in transcript_search_rows. Not an external-content table keyed by
# transcripts.rowid: VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY. Not a
# table with its own copy either: reading even one column of a match would decrypt the whole text.
# The index's shadow tables live in the same file, so SQLCipher encrypts them like everything else.
# Triggers keep it in step, so no import path has to remember it.
_FULL_TEXT_SEARCH = (
    """CREATE TABLE transcript_search_rows (
        id INTEGER PRIMARY KEY,
        transcript_uuid TEXT NOT NULL UNIQUE
    ) STRICT""",
    """CREATE VIRTUAL TABLE transcript_search USING fts5(
        text, content = '', tokenize = 'unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER transcript_search_insert AFTER INSERT ON transcripts BEGIN
        INSERT INTO transcript_search_rows (transcript_uuid) VALUES (new.uuid);
        INSERT INTO transcript_search (rowid, text)
            SELECT id, new.text FROM transcript_search_rows WHERE transcript_uuid = new.uuid;
    END""",
    # A contentless index forgets a row only when told the exact text it indexed.
    """CREATE TRIGGER transcript_search_delete AFTER DELETE ON transcripts BEGIN
        INSERT INTO transcript_search (transcript_search, rowid, text)
            SELECT 'delete', id, old.text FROM transcript_search_rows WHERE transcript_uuid = old.uuid;
        DELETE FROM transcript_search_rows WHERE transcript_uuid = old.uuid;
    END""",
    # Texts are immutable after import; should that ever change, the index must not go stale.
    """CREATE TRIGGER transcript_search_update AFTER UPDATE OF uuid, text ON transcripts BEGIN
        INSERT INTO transcript_search (transcript_search, rowid, text)
            SELECT 'delete', id, old.text FROM transcript_search_rows WHERE transcript_uuid = old.uuid;
        UPDATE transcript_search_rows SET transcript_uuid = new.uuid WHERE transcript_uuid = old.uuid;
        INSERT INTO transcript_search (rowid, text)
            SELECT id, new.text FROM transcript_search_rows WHERE transcript_uuid = new.uuid;
    END""",
    # Projects made before this migration: index what they already hold.
    "INSERT INTO transcript_search_rows (transcript_uuid) SELECT uuid FROM transcripts ORDER BY rowid",
    """INSERT INTO transcript_search (rowid, text)
        SELECT r.id, t.text FROM transcript_search_rows AS r JOIN transcripts AS t ON t.uuid = r.transcript_uuid""",
)


def _full_text_search(db: Database) -> None:
    # Building the index must not spill plaintext into temporary files (2 = MEMORY).
    if int(db.execute("PRAGMA temp_store").fetchone()[0]) != 2:
        raise JswError("the database is not set to keep temporary data in memory; search was not set up")
    for statement in _FULL_TEXT_SEARCH:
        db.execute(statement)


_REGISTER = """
CREATE TABLE register_entries (
    uuid TEXT PRIMARY KEY,
    text TEXT NOT NULL CHECK (trim(text) <> ''),
    category TEXT NOT NULL CHECK (category IN ('PERSON', 'PLACE', 'ORG', 'PHONE', 'EMAIL', 'DATE',
        'ADDRESS', 'POSTCODE', 'CASE_REF', 'PRISON', 'COURT', 'OTHER')),
    replacement TEXT NOT NULL CHECK (trim(replacement) <> ''),
    transcript_uuid TEXT REFERENCES transcripts (uuid) ON DELETE CASCADE,
    created_by TEXT REFERENCES coders (uuid),
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX register_entries_text ON register_entries (text, coalesce(transcript_uuid, ''));

CREATE TABLE register_dismissed (
    text TEXT PRIMARY KEY,
    dismissed_by TEXT REFERENCES coders (uuid),
    dismissed_at TEXT NOT NULL
) STRICT;
"""

_TEAM = """
CREATE TABLE team (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    team_uuid TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lead', 'fieldworker')),
    member_id TEXT NOT NULL,
    signing_private BLOB NOT NULL,
    signing_public BLOB NOT NULL,
    encryption_private BLOB,
    encryption_public BLOB,
    next_sequence INTEGER NOT NULL DEFAULT 1,
    codebook_version INTEGER NOT NULL DEFAULT 0,
    joined_at TEXT NOT NULL,
    CHECK ((role = 'lead') = (encryption_private IS NOT NULL))
) STRICT;

CREATE TABLE team_leads (
    member_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    encryption_public BLOB NOT NULL,
    signing_public BLOB NOT NULL
) STRICT;

CREATE TABLE team_members (
    member_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    signing_public BLOB NOT NULL,
    last_sequence INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL
) STRICT;

CREATE TABLE contributions (
    record_kind TEXT NOT NULL CHECK (record_kind IN ('transcript', 'participant', 'code', 'coding', 'memo')),
    record_uuid TEXT NOT NULL,
    member_id TEXT NOT NULL REFERENCES team_members (member_id),
    sequence INTEGER NOT NULL,
    PRIMARY KEY (record_kind, record_uuid)
) STRICT;
CREATE INDEX contributions_member ON contributions (member_id, record_kind);

CREATE TABLE code_aliases (
    alias_uuid TEXT PRIMARY KEY,
    code_uuid TEXT NOT NULL REFERENCES codes (uuid) ON DELETE CASCADE,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE merge_reports (
    uuid TEXT PRIMARY KEY,
    member_id TEXT,
    sequence INTEGER,
    created_at TEXT NOT NULL,
    report TEXT NOT NULL
) STRICT;
"""

# The Framework matrix: the analyst's summary of what one case said on one theme. A case is a
# participant, or a transcript that has no participant; case_uuid is that participant's or
# transcript's UUID (no foreign key, since it may be either).
_MATRIX = """
CREATE TABLE matrix_summaries (
    case_uuid TEXT NOT NULL,
    code_uuid TEXT NOT NULL REFERENCES codes (uuid) ON DELETE CASCADE,
    text TEXT NOT NULL CHECK (trim(text) <> ''),
    coder_uuid TEXT NOT NULL REFERENCES coders (uuid),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_uuid, code_uuid)
) STRICT;
"""

# Double coding. A fieldworker's own X25519 key pair, so the lead can seal a transcript for it (the
# team row holds only a lead's: its CHECK ties an encryption key to the lead role). At the lead, each
# member's public encryption key (learned from their signed join request) and the assignments: the
# sealed payload is kept so the team file is the same bytes until something changes. At a fieldworker,
# the assignments received, so a repeated sync adds nothing twice.
_DOUBLE_CODING = """
ALTER TABLE team_members ADD COLUMN encryption_public BLOB;

CREATE TABLE team_own_keys (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    encryption_private BLOB NOT NULL,
    encryption_public BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE coding_assignments (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES team_members (member_id),
    status TEXT NOT NULL CHECK (status IN ('open', 'withdrawn')),
    assigned_at TEXT NOT NULL,
    content_sha256 TEXT,
    sealed BLOB,
    delivered_at TEXT,
    PRIMARY KEY (transcript_uuid, member_id),
    CHECK ((sealed IS NULL) = (content_sha256 IS NULL))
) STRICT;
CREATE UNIQUE INDEX coding_assignments_open ON coding_assignments (transcript_uuid) WHERE status = 'open';

CREATE TABLE assignments_received (
    transcript_uuid TEXT PRIMARY KEY,
    lead_id TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
"""

# The identifier detector's last findings over the project's texts (before the register and the
# dismissed list filter them), keyed by a hash of those texts: an export's leak check reuses them
# while no transcript has been added, instead of running the detector over the whole study again.
_DETECTOR_CACHE = """
CREATE TABLE detector_cache (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    texts_sha256 TEXT NOT NULL,
    candidates TEXT NOT NULL
) STRICT;
"""

# Admission and attribution (issue 14). A join request makes a member pending; only an admitted member's
# packages are merged. Members known before admission existed were let in under the old rule: admitted.
# coder_sources: which member a coder was first seen from, so a package may speak only for its sender
# (and coders first seen from that sender); filled from the provenance merges recorded so far.
_ADMISSION = """
ALTER TABLE team_members ADD COLUMN state TEXT NOT NULL DEFAULT 'admitted'
    CHECK (state IN ('pending', 'admitted', 'refused'));

CREATE TABLE coder_sources (
    coder_uuid TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES team_members (member_id)
) STRICT;

INSERT OR IGNORE INTO coder_sources (coder_uuid, member_id)
    SELECT member_id, member_id FROM team_members WHERE member_id IN (SELECT uuid FROM coders);

INSERT OR IGNORE INTO coder_sources (coder_uuid, member_id)
    SELECT c.coder_uuid, min(k.member_id) FROM codings c
    JOIN contributions k ON k.record_kind = 'coding' AND k.record_uuid = c.uuid
    GROUP BY c.coder_uuid HAVING count(DISTINCT k.member_id) = 1;

INSERT OR IGNORE INTO coder_sources (coder_uuid, member_id)
    SELECT m.coder_uuid, min(k.member_id) FROM memos m
    JOIN contributions k ON k.record_kind = 'memo' AND k.record_uuid = m.uuid
    GROUP BY m.coder_uuid HAVING count(DISTINCT k.member_id) = 1
"""

# The transcripts list reads every transcript's name and details, never its text. Without this index
# each row is read whole, the text included (about 10 MB at study scale, decrypted page by page), on
# the window's thread after every sync; with it the listing comes from the index alone.
_TRANSCRIPT_LISTING = """
CREATE INDEX transcripts_listing ON transcripts (
    name COLLATE NOCASE, uuid, participant_uuid, source_name, source_format, length, imported_at
)
"""

# Withdrawn consent (issue 16): one row per participant withdrawn, kept after everything of theirs is
# purged. The attribution is kept for the destruction certificate; the reason stays in this project
# only (never in the team file). participant_uuid has no foreign key: the participant row is gone.
_WITHDRAWALS = """
CREATE TABLE withdrawals (
    participant_uuid TEXT PRIMARY KEY,
    attribution TEXT,
    reason TEXT NOT NULL,
    withdrawn_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT
"""

# Indirect identification (issue 16): the user's decision on each finding of
# jswcoder.anonymise.indirect, by the finding's id (a digest, never the values): accepted with the
# suggested generalisation, edited to a value of the user's, or dismissed. k is in project_meta.
_INDIRECT = """
CREATE TABLE indirect_decisions (
    finding_id TEXT PRIMARY KEY,
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'edited', 'dismissed')),
    attribute TEXT,
    value TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
) STRICT
"""

# Withdrawal orders across a team (issue 16): how many transcripts each withdrawal purged here (so a
# fieldworker's receipt can say whether they held the participant), and at the lead, each member's
# signed confirmation that they applied the order (by participant UUID only).
_WITHDRAWAL_RECEIPTS = """
ALTER TABLE withdrawals ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;

CREATE TABLE withdrawal_receipts (
    participant_uuid TEXT NOT NULL REFERENCES withdrawals (participant_uuid),
    member_id TEXT NOT NULL REFERENCES team_members (member_id),
    held INTEGER NOT NULL CHECK (held IN (0, 1)),
    applied_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (participant_uuid, member_id)
) STRICT
"""

# A study's retention period ended (issue 16): at the lead, each member's signed confirmation that their
# project was destroyed (the lead's own order is a project_meta entry until the lead's project goes too).
_RETENTION_RECEIPTS = """
CREATE TABLE retention_receipts (
    member_id TEXT PRIMARY KEY REFERENCES team_members (member_id),
    destroyed_at TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT
"""

# The audit trail (issue 16): every export, deposit, register change, admission, withdrawal and purge,
# with who and when, for an ethics committee. Never any transcript text or register entry. Append-only:
# each row carries a hash chained to the previous row's, and triggers refuse changes and deletions.
_AUDIT_TRAIL = """
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '{}',
    chain TEXT NOT NULL
) STRICT;
"""


def _audit_trail(db: Database) -> None:
    _script(_AUDIT_TRAIL)(db)
    # Trigger bodies hold semicolons, so each is one statement of its own.
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END"
        )


# The detector's findings per text (issue 16), keyed by a hash of the text and the detector's version:
# after the first run only added or changed texts are read again. Replaces the one-row cache.
_DETECTOR_FINDINGS = """
CREATE TABLE detector_findings (
    text_sha256 TEXT NOT NULL,
    detector_version INTEGER NOT NULL,
    candidates TEXT NOT NULL,
    PRIMARY KEY (text_sha256, detector_version)
) STRICT;
"""

# A register entry's other forms (issue 16): nicknames and spellings the user gives ("Shiv" for
# "Siobhan Kerr"), replaced by the entry's descriptor like the entry itself. A JSON list of strings.
_REGISTER_VARIANTS = """
ALTER TABLE register_entries ADD COLUMN variants TEXT NOT NULL DEFAULT '[]'
"""

# Coding queries saved by name (issue 17).
_SAVED_QUERIES = """
CREATE TABLE saved_queries (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    expression TEXT NOT NULL,
    created_by TEXT REFERENCES coders (uuid),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX saved_queries_name ON saved_queries (name COLLATE NOCASE);
-- A coding query reads the codings of a few themes: with all it reads in the index, it walks that
-- theme's stretch of the index alone instead of visiting one table page per coding (at 200,000
-- codings, 3,300 codings of a theme and its sub-themes: about 100 ms less).
CREATE INDEX codings_by_code ON codings (code_uuid, transcript_uuid, coder_uuid, start, "end");
"""

# Who brought each transcript in (the matrix's fieldworker, and whose codings count in it): read from an
# index, not from the table, whose rows carry the transcripts' texts before that column (at 1,000
# transcripts, reading past the texts took half a second of every matrix and crosstab).
_ANALYSIS_INDEXES = """
CREATE INDEX transcripts_importer ON transcripts (imported_by, uuid)
"""

# A focus group's speakers as cases of their own (issue 17): each (transcript, speaker label) made a
# case links to a participant of its own, numbered within the group for its attribution ("Focus group 3,
# participant 2"); the label itself never leaves the project (it may be a name).
_SPEAKER_CASES = """
CREATE TABLE speaker_cases (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    speaker TEXT NOT NULL CHECK (speaker <> ''),
    participant_uuid TEXT NOT NULL UNIQUE REFERENCES participants (uuid) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number > 0),
    PRIMARY KEY (transcript_uuid, speaker),
    UNIQUE (transcript_uuid, number)
) STRICT
"""

# Settling disagreements (issue 17, item 5): the lead's decision on each disagreement of a double-coded
# transcript, kept so that "neither" is told apart from "not yet decided". A decision names its
# disagreement by theme and stretch, and holds both coders' versions (offsets only, never text) so a
# decision whose disagreement has since changed is seen as stale. One row per transcript holds the
# progress the matrix reads: the agreed coder's codings count instead of the own coder's once every
# disagreement is decided.
_RECONCILIATION = """
CREATE TABLE reconciliation_decisions (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    code_uuid TEXT NOT NULL REFERENCES codes (uuid) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    versions TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('A', 'B', 'both', 'neither')),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (transcript_uuid, code_uuid, start, "end")
) STRICT;
CREATE TABLE reconciliations (
    transcript_uuid TEXT PRIMARY KEY REFERENCES transcripts (uuid) ON DELETE CASCADE,
    agreed_coder_uuid TEXT NOT NULL REFERENCES coders (uuid),
    decided INTEGER NOT NULL,
    total INTEGER NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
"""

# Where each stored turn starts and ends, read from an index: NEAR/TURN and NEAR/PARAGRAPH read the
# turns' bounds of every transcript holding both sides (at 1,000 transcripts, 250,000 turns), which
# from the table meant one row looked up per turn.
_TURN_BOUNDS = """
CREATE INDEX turns_bounds ON turns (transcript_uuid, ordinal, start, "end")
"""

# Survey data (issue 18): a questionnaire export imported as respondents (cases: participants with the
# closed answers as attributes) and their open answers (codable text). Each respondent with open answers
# has one document, a transcript of its own whose text is the answers one after another under their
# questions, so that coding, search, queries, the matrix, agreement, memos, packages and REFI-QDA treat
# answers as they treat interview passages; ``survey_answers`` says where in that text each answer lies.
# UUIDs are derived from the export (the survey's from its ID and open columns, a respondent's from its
# ID), so a re-import, or the same export imported by two fieldworkers, finds the same respondents.
# The raw ID itself is not stored. ``attribution`` is how quotes name a respondent.
_SURVEYS = """
CREATE TABLE surveys (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    attribution TEXT NOT NULL,
    id_key TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE survey_questions (
    survey_uuid TEXT NOT NULL REFERENCES surveys (uuid) ON DELETE CASCADE,
    key TEXT NOT NULL CHECK (key <> ''),
    question TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('open', 'attribute')),
    position INTEGER NOT NULL,
    PRIMARY KEY (survey_uuid, key)
) STRICT;
CREATE TABLE survey_respondents (
    participant_uuid TEXT PRIMARY KEY REFERENCES participants (uuid) ON DELETE CASCADE,
    survey_uuid TEXT NOT NULL REFERENCES surveys (uuid) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number > 0),
    UNIQUE (survey_uuid, number)
) STRICT;
CREATE TABLE survey_answers (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    survey_uuid TEXT NOT NULL REFERENCES surveys (uuid) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (transcript_uuid, question_key),
    CHECK (0 <= start AND start < "end")
) STRICT;
CREATE INDEX survey_answers_question ON survey_answers (survey_uuid, question_key, transcript_uuid, start, "end");
CREATE INDEX survey_respondents_survey ON survey_respondents (survey_uuid, number);
"""

# Recordings (issue 19): an interview's audio kept inside the encrypted database, never beside it in
# the clear. The file as imported (its own encoding: WAV, MP3, M4A, Ogg) is stored in chunks of at
# most a MiB, so that reading a passage's audio decrypts only the pages it needs and no single value
# approaches SQLite's limits; ``sha256`` is the whole file's, checked when it is read back.
_RECORDINGS = """
CREATE TABLE recordings (
    uuid TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    container TEXT NOT NULL CHECK (container IN ('wav', 'mp3', 'mp4', 'ogg')),
    size INTEGER NOT NULL CHECK (size > 0),
    sha256 TEXT NOT NULL,
    duration_ms INTEGER,
    transcript_uuid TEXT REFERENCES transcripts (uuid) ON DELETE SET NULL,
    imported_by TEXT NOT NULL REFERENCES coders (uuid),
    imported_at TEXT NOT NULL
) STRICT;
CREATE TABLE recording_chunks (
    recording_uuid TEXT NOT NULL REFERENCES recordings (uuid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
    data BLOB NOT NULL,
    PRIMARY KEY (recording_uuid, ordinal)
) STRICT;
"""

# Issue 19, transcription. A recording being transcribed and corrected: its draft segments (times in
# milliseconds, text, the speaker by number into ``speakers``, a JSON list of names) and how far the
# transcription has reached, so that a stopped one resumes. Once finished, the draft becomes a transcript
# and its segments go; ``transcript_times`` keeps which stretch of the transcript's text plays from which
# stretch of which recording (for a transcript imported with time stamps, from its turns). It is the link
# between a transcript and its recordings; recordings.transcript_uuid, from the step before, is unused.
_TRANSCRIPTION = """
CREATE TABLE transcriptions (
    recording_uuid TEXT PRIMARY KEY REFERENCES recordings (uuid) ON DELETE CASCADE,
    model TEXT NOT NULL,
    language TEXT NOT NULL,
    reached_ms INTEGER NOT NULL DEFAULT 0 CHECK (reached_ms >= 0),
    state TEXT NOT NULL CHECK (state IN ('transcribing', 'correcting')),
    speakers TEXT NOT NULL DEFAULT '[]',
    started_by TEXT NOT NULL REFERENCES coders (uuid),
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE recording_segments (
    recording_uuid TEXT NOT NULL REFERENCES transcriptions (recording_uuid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker INTEGER CHECK (speaker BETWEEN 1 AND 9),
    edited INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
    PRIMARY KEY (recording_uuid, ordinal),
    CHECK (0 <= start_ms AND start_ms < end_ms)
) STRICT;
CREATE TABLE transcript_times (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    recording_uuid TEXT NOT NULL REFERENCES recordings (uuid) ON DELETE CASCADE,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    PRIMARY KEY (transcript_uuid, ordinal),
    CHECK (0 <= start AND start < "end"),
    CHECK (0 <= start_ms AND start_ms < end_ms)
) STRICT;
CREATE INDEX transcript_times_recording ON transcript_times (recording_uuid);
"""

# Issue 20, local assistance. ``passage_index``: one row a transcript, its passages' spans (int32 pairs)
# and sentence vectors (float16, 384 a passage) as blobs, with the model and the SHA-256 of the text they
# were made from, so a changed text or another model is indexed again. Derived from the text and never
# sent anywhere: no package, export or deposit reads it. ``suggestion_decisions``: a theme suggested for a
# passage and accepted (with the coding it made) or rejected, by whom, so a rejected suggestion stays away
# and an accepted one is known to have been suggested.
_ASSISTANCE = """
CREATE TABLE passage_index (
    transcript_uuid TEXT PRIMARY KEY REFERENCES transcripts (uuid) ON DELETE CASCADE,
    model TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    spans BLOB NOT NULL,
    vectors BLOB NOT NULL,
    indexed_at TEXT NOT NULL
) STRICT;
CREATE TABLE suggestion_decisions (
    transcript_uuid TEXT NOT NULL REFERENCES transcripts (uuid) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    code_uuid TEXT NOT NULL REFERENCES codes (uuid) ON DELETE CASCADE,
    coder_uuid TEXT NOT NULL REFERENCES coders (uuid),
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    coding_uuid TEXT,
    score REAL NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (transcript_uuid, start, "end", code_uuid, coder_uuid),
    CHECK (0 <= start AND start < "end")
) STRICT;
"""

# The decoder's prompt after the last stored window (Whisper's token ids, int32 little-endian): a stopped
# transcription resumes with exactly the prompt the uninterrupted run would have had, so it gives the same
# text. Segments alone cannot rebuild it (their times are snapped to pauses, the model's are per window).
_TRANSCRIPTION_PROMPT = """
ALTER TABLE transcriptions ADD COLUMN prompt BLOB;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration("initial schema", _script(_INITIAL)),
    Migration("full-text search", _full_text_search),
    Migration("anonymisation register", _script(_REGISTER)),
    Migration("team", _script(_TEAM)),
    Migration("framework matrix", _script(_MATRIX)),
    Migration("double coding", _script(_DOUBLE_CODING)),
    Migration("detector cache", _script(_DETECTOR_CACHE)),
    Migration("team admission", _script(_ADMISSION)),
    Migration("transcript listing index", _script(_TRANSCRIPT_LISTING)),
    Migration("withdrawals", _script(_WITHDRAWALS)),
    Migration("indirect identification decisions", _script(_INDIRECT)),
    Migration("withdrawal receipts", _script(_WITHDRAWAL_RECEIPTS)),
    Migration("retention receipts", _script(_RETENTION_RECEIPTS)),
    Migration("audit trail", _audit_trail),
    Migration("detector findings per text", _script(_DETECTOR_FINDINGS)),
    Migration("register variants", _script(_REGISTER_VARIANTS)),
    Migration("saved queries", _script(_SAVED_QUERIES)),
    Migration("analysis indexes", _script(_ANALYSIS_INDEXES)),
    Migration("speaker cases", _script(_SPEAKER_CASES)),
    Migration("reconciliation decisions", _script(_RECONCILIATION)),
    Migration("turn bounds index", _script(_TURN_BOUNDS)),
    Migration("surveys", _script(_SURVEYS)),
    Migration("recordings", _script(_RECORDINGS)),
    Migration("transcription", _script(_TRANSCRIPTION)),
    Migration("passage index", _script(_ASSISTANCE)),
    Migration("transcription prompt", _script(_TRANSCRIPTION_PROMPT)),
)
SCHEMA_VERSION = len(MIGRATIONS)


def version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> list[str]:
    """Bring the schema up to date; returns the names of the migrations applied."""
    current = version(db)
    if current > SCHEMA_VERSION:
        raise JswError(
            f"this project was saved by a newer version of jswcoder (schema {current}, "
            f"this version knows {SCHEMA_VERSION}); update jswcoder to open it"
        )
    applied = []
    for number, migration in enumerate(MIGRATIONS[current:], start=current + 1):
        with db.atomic():
            migration.apply(db)
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                [number, migration.name, datetime.now(UTC).isoformat(timespec="seconds")],
            )
            db.execute(f"PRAGMA user_version = {number:d}")
        applied.append(migration.name)
    return applied
