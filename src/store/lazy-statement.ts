// A statement prepared the first time it runs. Each query group prepares its statements when it is
// made, and a hook or a command that runs in-process uses a few of each group it touches before it
// exits: preparing the rest cost a hook ~1 ms (docs/performance.md). A server prepares each once.
import type Database from "better-sqlite3";

export type LazyStatement = {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): Database.RunResult;
  iterate(...params: unknown[]): IterableIterator<unknown>;
};

/** `pluck`: rows come as their first column's value (Statement#pluck). */
export const lazyStatement = (db: Database.Database, sql: string, pluck = false): LazyStatement => {
  let s: Database.Statement | undefined;
  const statement = (): Database.Statement => {
    s ??= pluck ? db.prepare(sql).pluck() : db.prepare(sql);
    return s;
  };
  return {
    get: (...params) => statement().get(...params),
    all: (...params) => statement().all(...params),
    run: (...params) => statement().run(...params),
    iterate: (...params) => statement().iterate(...params) as IterableIterator<unknown>,
  };
};
