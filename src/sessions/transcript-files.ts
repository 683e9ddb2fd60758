// Finds the transcript files under one Claude config dir: projects/*/*.jsonl and their subagents.
import { type Dirent, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { TranscriptKind } from "./scan-state.ts";

export interface TranscriptFile {
  path: string;
  configDir: string;
  kind: TranscriptKind;
  pathSessionId: string | null;
}

export interface TranscriptListing {
  files: TranscriptFile[];
  /** Directories that could not be read: files known under them must not be reported as removed. */
  unreadable: { path: string; code: string }[];
}

// `<session-id>/subagents/` may nest agent transcripts one level per agent hierarchy; bound the walk.
const MAX_SUBAGENT_DEPTH = 4;

const errorCode = (e: unknown): string =>
  typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "UNKNOWN";

type Kind = "file" | "dir" | "other";

// Some filesystems report no type in directory entries, and links need following.
const kindOf = (dir: string, entry: Dirent): Kind => {
  if (entry.isFile()) return "file";
  if (entry.isDirectory()) return "dir";
  const st = statSync(join(dir, entry.name), { throwIfNoEntry: false });
  return st?.isFile() ? "file" : st?.isDirectory() ? "dir" : "other";
};

export const listTranscriptFiles = (configDir: string): TranscriptListing => {
  const listing: TranscriptListing = { files: [], unreadable: [] };
  const read = (dir: string, missingIsFine: boolean): Dirent[] => {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      const code = errorCode(e);
      if (!(missingIsFine && (code === "ENOENT" || code === "ENOTDIR")))
        listing.unreadable.push({ path: dir, code });
      return [];
    }
  };
  const projectsDir = join(configDir, "projects");
  // A config dir without projects/ has no sessions yet; a config dir that is gone (an unmounted
  // disk, a typo) says nothing about the sessions it held.
  const configExists = statSync(configDir, { throwIfNoEntry: false })?.isDirectory() === true;
  if (!configExists) {
    listing.unreadable.push({ path: configDir, code: "ENOENT" });
    return listing;
  }
  for (const project of read(projectsDir, true)) {
    const projectDir = join(projectsDir, project.name);
    if (kindOf(projectsDir, project) !== "dir") continue;
    for (const entry of read(projectDir, true)) {
      const kind = kindOf(projectDir, entry);
      if (kind === "file" && entry.name.endsWith(".jsonl")) {
        const path = join(projectDir, entry.name);
        // Versions before subagents/ wrote agent transcripts beside the sessions they belong to.
        const legacyAgent = entry.name.startsWith("agent-");
        listing.files.push({
          path,
          configDir,
          kind: legacyAgent ? "subagent" : "main",
          pathSessionId: legacyAgent ? null : entry.name.slice(0, -".jsonl".length),
        });
      } else if (kind === "dir") {
        addSubagents(join(projectDir, entry.name, "subagents"), entry.name, 0);
      }
    }
  }
  return listing;

  function addSubagents(dir: string, sessionId: string, depth: number): void {
    for (const entry of read(dir, depth === 0)) {
      const kind = kindOf(dir, entry);
      if (kind === "file" && entry.name.startsWith("agent-") && entry.name.endsWith(".jsonl")) {
        listing.files.push({
          path: join(dir, entry.name),
          configDir,
          kind: "subagent",
          pathSessionId: sessionId,
        });
      } else if (kind === "dir" && depth < MAX_SUBAGENT_DEPTH) {
        addSubagents(join(dir, entry.name), sessionId, depth + 1);
      }
    }
  }
};

/**
 * What `listTranscriptFiles` would make of one path (a file-watch event names a single path), or
 * null when the path is not a transcript under `<configDir>/projects`.
 */
export const classifyTranscriptPath = (configDir: string, path: string): TranscriptFile | null => {
  const rel = relative(join(configDir, "projects"), path);
  if (rel.startsWith("..") || !path.endsWith(".jsonl")) return null;
  const parts = rel.split(sep);
  const name = parts.at(-1)!;
  if (parts.length === 2) {
    const legacyAgent = name.startsWith("agent-");
    return {
      path,
      configDir,
      kind: legacyAgent ? "subagent" : "main",
      pathSessionId: legacyAgent ? null : name.slice(0, -".jsonl".length),
    };
  }
  const nested = parts.length - 4;
  if (parts[2] !== "subagents" || nested < 0 || nested > MAX_SUBAGENT_DEPTH || !name.startsWith("agent-"))
    return null;
  return { path, configDir, kind: "subagent", pathSessionId: parts[1]! };
};
