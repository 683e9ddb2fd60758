// Versions reported by `claire --version` and /api/v1/health.
export const CLAIRE_VERSION = "0.1.0";
/** Bumped when the sync wire format changes incompatibly. */
export const SYNC_PROTOCOL_VERSION = 1;
/** The database schema version this build migrates to (checked against the migration list). */
export const SCHEMA_VERSION = 4;
