// The projection tables, declared once. DDL, the applier's statements, rebuild and the dump are
// all generated from this list, so a new field is added in one place.
//
// Every last-writer-wins column `x` has a stamp column `x_s` ("<hlc>/<event id>"); a write lands
// only if its stamp is greater. Set-valued fields are tables of (id, element) with their own
// present flag and stamp.

export type ColumnType = "TEXT" | "INTEGER" | "REAL";

export type TableSpec = {
  readonly name: string;
  readonly kind: "entity" | "set" | "delivery";
  /** Columns written once by the event that creates the row (kept on duplicates). */
  readonly fixed: readonly (readonly [string, ColumnType])[];
  /** Last-writer-wins columns, each with a stamp column. */
  readonly lww: readonly (readonly [string, ColumnType])[];
  /** Columns computed from other rows (task owner). */
  readonly derived: readonly (readonly [string, ColumnType])[];
  /** [name suffix, columns, optional WHERE of a partial index] */
  readonly indexes: readonly (readonly [string, string, string?])[];
};

const entity = (
  name: string,
  spec: Partial<Pick<TableSpec, "fixed" | "lww" | "derived" | "indexes">>,
): TableSpec => ({ name, kind: "entity", fixed: [], lww: [], derived: [], indexes: [], ...spec });

const set = (name: string): TableSpec => ({
  name,
  kind: "set",
  fixed: [],
  lww: [],
  derived: [],
  indexes: [["element", "element"]],
});

export const PROJECTION_TABLES: readonly TableSpec[] = [
  entity("projects", {
    lww: [
      ["name", "TEXT"],
      ["description", "TEXT"],
      ["archived", "INTEGER"],
      ["created_ms", "INTEGER"],
    ],
  }),
  entity("tasks", {
    lww: [
      ["project_id", "TEXT"],
      ["title", "TEXT"],
      ["description", "TEXT"],
      ["priority", "TEXT"],
      ["status", "TEXT"],
      ["created_ms", "INTEGER"],
      ["epoch", "TEXT"],
    ],
    derived: [
      ["owner_assignment", "TEXT"],
      ["owner_machine", "TEXT"],
      ["owner_session", "TEXT"],
      ["owner_via", "TEXT"],
    ],
    indexes: [
      ["project", "project_id, status"],
      ["owner", "owner_machine, owner_session"],
    ],
  }),
  set("task_labels"),
  set("task_deps"),
  entity("assignments", {
    fixed: [
      ["task_id", "TEXT"],
      ["machine_id", "TEXT"],
      ["session_id", "TEXT"],
      ["via", "TEXT"],
      ["epoch", "TEXT"],
      ["hlc", "TEXT"],
      ["by_kind", "TEXT"],
      ["by_id", "TEXT"],
    ],
    lww: [["state", "TEXT"]],
    indexes: [
      ["task", "task_id, hlc"],
      ["session", "machine_id, session_id"],
    ],
  }),
  entity("sessions", {
    lww: [
      ["machine_id", "TEXT"],
      ["session_id", "TEXT"],
      ["cwd", "TEXT"],
      ["git_branch", "TEXT"],
      ["version", "TEXT"],
      ["title", "TEXT"],
      ["model", "TEXT"],
      ["transcript_path", "TEXT"],
      ["source", "TEXT"],
      ["pid", "INTEGER"],
      ["parent_pid", "INTEGER"],
      ["first_activity", "TEXT"],
      ["last_activity", "TEXT"],
      ["user_messages", "INTEGER"],
      ["assistant_messages", "INTEGER"],
      ["tokens_input", "INTEGER"],
      ["tokens_output", "INTEGER"],
      ["tokens_cache_creation", "INTEGER"],
      ["tokens_cache_read", "INTEGER"],
      ["cost_usd", "REAL"],
      ["state", "TEXT"],
      ["state_reason", "TEXT"],
      ["predecessor", "TEXT"],
      ["successor", "TEXT"],
    ],
    indexes: [
      ["machine", "machine_id, session_id"],
      ["session_id", "session_id"],
    ],
  }),
  entity("groups", {
    lww: [
      ["name", "TEXT"],
      ["description", "TEXT"],
      ["created_ms", "INTEGER"],
    ],
  }),
  set("group_rules"),
  set("group_members"),
  entity("updates", {
    fixed: [
      ["hlc", "TEXT"],
      ["kind", "TEXT"],
      ["text", "TEXT"],
      ["task_id", "TEXT"],
      ["project_id", "TEXT"],
      ["session_key", "TEXT"],
      ["actor_kind", "TEXT"],
      ["actor_id", "TEXT"],
    ],
    // Partial indexes: most notes name a task but not a session, and an index over NULLs costs
    // every append without ever serving a query.
    indexes: [
      ["hlc", "hlc"],
      ["task", "task_id, hlc", "task_id IS NOT NULL"],
      ["project", "project_id, hlc", "project_id IS NOT NULL"],
      ["session", "session_key, hlc", "session_key IS NOT NULL"],
    ],
  }),
  entity("messages", {
    fixed: [
      ["hlc", "TEXT"],
      ["body", "TEXT"],
      ["target", "TEXT"],
      ["sender_kind", "TEXT"],
      ["sender_id", "TEXT"],
    ],
    indexes: [["hlc", "hlc"]],
  }),
  {
    name: "deliveries",
    kind: "delivery",
    fixed: [
      ["message_id", "TEXT"],
      ["machine_id", "TEXT"],
      ["session_id", "TEXT"],
    ],
    lww: [],
    derived: [
      ["state", "INTEGER"],
      ["updated_hlc", "TEXT"],
    ],
    indexes: [
      ["message", "message_id"],
      ["session", "machine_id, session_id"],
    ],
  },
  entity("machines", {
    lww: [
      ["name", "TEXT"],
      ["groups", "TEXT"],
    ],
    derived: [["last_hlc", "TEXT"]],
  }),
];

export const tableSpec = (name: string): TableSpec => {
  const spec = PROJECTION_TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`unknown projection table ${name}`);
  return spec;
};

/** CREATE TABLE statements for every projection, with a name prefix (rebuild builds beside the live ones). */
export const projectionTablesDdl = (prefix: string): string[] =>
  PROJECTION_TABLES.map((t) => {
    if (t.kind === "set") {
      return `CREATE TABLE ${prefix}${t.name} (id TEXT NOT NULL, element TEXT NOT NULL, present INTEGER NOT NULL, stamp TEXT NOT NULL, PRIMARY KEY (id, element)) WITHOUT ROWID`;
    }
    const cols = [
      "id TEXT PRIMARY KEY NOT NULL",
      ...t.fixed.map(([c, ty]) => `${c} ${ty}`),
      ...t.lww.flatMap(([c, ty]) => [`${c} ${ty}`, `${c}_s TEXT`]),
      ...t.derived.map(([c, ty]) => `${c} ${ty}`),
    ];
    return `CREATE TABLE ${prefix}${t.name} (${cols.join(", ")})`;
  });

/** Indexes are created after tables are filled (faster) and always carry their canonical names. */
export const projectionIndexesDdl = (): string[] =>
  PROJECTION_TABLES.flatMap((t) =>
    t.indexes.map(
      ([suffix, cols, where]) =>
        `CREATE INDEX IF NOT EXISTS ${t.name}_${suffix} ON ${t.name} (${cols})${where ? ` WHERE ${where}` : ""}`,
    ),
  );

/** Every column of a table in a fixed order, for the dump. */
export const tableColumns = (t: TableSpec): string[] =>
  t.kind === "set"
    ? ["id", "element", "present", "stamp"]
    : [
        "id",
        ...t.fixed.map(([c]) => c),
        ...t.lww.flatMap(([c]) => [c, `${c}_s`]),
        ...t.derived.map(([c]) => c),
      ];

export const tablePrimaryKey = (t: TableSpec): string[] => (t.kind === "set" ? ["id", "element"] : ["id"]);
