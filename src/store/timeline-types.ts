// Which events have a timeline: everything but notes. A note (update.posted) is its own entity,
// written once, and is shown in feeds, never as a timeline; leaving notes out of `events_entity`
// keeps the index small and its appends on few pages. The index is partial on this very
// condition, and SQLite uses a partial index only for a query that repeats its WHERE term.
export const TIMELINE_TYPES = "type <> 'update.posted'";
