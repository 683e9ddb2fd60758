// Aggregate counts for the fleet summary.
import type Database from "better-sqlite3";

export const createStatsQueries = (db: Database.Database) => {
  const sessionsByState = db.prepare(
    "SELECT machine_id AS m, COALESCE(state, 'unknown') AS s, COUNT(*) AS n FROM sessions GROUP BY 1, 2",
  );
  const sessionTotals = db.prepare(
    `SELECT COUNT(*) AS n, COALESCE(SUM(tokens_input), 0) AS input, COALESCE(SUM(tokens_output), 0) AS output,
       COALESCE(SUM(tokens_cache_creation), 0) AS cacheCreation, COALESCE(SUM(tokens_cache_read), 0) AS cacheRead,
       COALESCE(SUM(cost_usd), 0) AS costUsd,
       COUNT(*) FILTER (WHERE cost_usd IS NULL AND COALESCE(tokens_input, 0) + COALESCE(tokens_output, 0) > 0)
         AS unpriced
     FROM sessions`,
  );
  const tasksByStatus = db.prepare(
    "SELECT COALESCE(status, 'todo') AS s, COUNT(*) AS n FROM tasks WHERE created_ms IS NOT NULL GROUP BY 1",
  );
  const activeProjects = db.prepare(
    "SELECT COUNT(*) AS n FROM projects WHERE created_ms IS NOT NULL AND COALESCE(archived, 0) = 0",
  );
  return {
    /** Session counts per machine and recorded state. */
    sessionsByState: () => sessionsByState.all() as { m: string | null; s: string; n: number }[],
    sessionTotals: () =>
      sessionTotals.get() as {
        n: number;
        input: number;
        output: number;
        cacheCreation: number;
        cacheRead: number;
        costUsd: number;
        unpriced: number;
      },
    tasksByStatus: () => tasksByStatus.all() as { s: string; n: number }[],
    activeProjects: () => (activeProjects.get() as { n: number }).n,
  };
};
