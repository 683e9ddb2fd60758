// This machine's Claire paths from the environment (cheap: no database, no server code).
import { homedir } from "node:os";
import { type ClairePaths, resolvePaths } from "../config/paths.ts";

export const localPaths = (env: Record<string, string | undefined> = process.env): ClairePaths =>
  resolvePaths(env, homedir());
