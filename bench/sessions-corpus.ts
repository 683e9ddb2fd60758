// A generated Claude Code config dir for the session benchmarks: N transcripts shaped like real
// 2.x ones (prompts, assistant lines per content block sharing one usage, tool calls and results
// with escaped code, attachments, system and bookkeeping lines, titles, a few subagents), sizes
// spread log-normally around the mean like a real history. Deterministic (seeded), so a corpus
// left in the temp dir by an earlier run is reused instead of rewritten.
import { randomUUID } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CORPUS_FORMAT = 1;

export interface CorpusSpec {
  readonly transcripts: number;
  readonly totalBytes: number;
  readonly seed: number;
}

export interface CorpusFile {
  readonly path: string;
  readonly sessionId: string;
  readonly bytes: number;
}

export interface Corpus {
  /** The Claude config dir (transcripts under projects/). */
  readonly configDir: string;
  readonly files: readonly CorpusFile[];
  readonly mainFiles: number;
  readonly bytes: number;
  readonly reused: boolean;
}

/** mulberry32: small, fast, good enough to shape text. */
const rng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const uuidFrom = (r: () => number): string => {
  const h = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16));
  h[12] = "4";
  h[16] = "89ab"[Math.floor(r() * 4)]!;
  const s = h.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
};

// Source-like text with quotes, backslashes, tabs and newlines, so JSON strings carry escapes.
const CODE = [
  'export const parse = (line: string): Result<Row, Error> => {\n\tif (line.startsWith("#")) return err("comment");',
  '  const [key, value] = line.split("=");\n  return ok({ key: key.trim(), value: value?.trim() ?? "" });\n}',
  "SELECT s.id, s.title FROM sessions s WHERE s.machine_id = ? AND s.state IN ('working', 'idle');",
  'path = "C:\\\\Users\\\\ada\\\\work" # a Windows path with "quotes"\nprint(f"{path!r}: {len(items)} items")',
  "The function walks the tree depth-first; each node keeps a weak reference to its parent so that",
  "  - fix: handle the empty case\n  - test: add a regression test for #482\n  - docs: explain the retry policy",
  '{"name":"claire","version":"0.1.0","scripts":{"test":"vitest run","build":"node scripts/build.mjs"}}',
  "  1\timport { describe, it } from 'vitest';\n  2\t\n  3\tdescribe('scanner', () => {\n  4\t  it('reads', () => {",
];
const TOOLS = ["Read", "Edit", "Bash", "Grep", "Write", "Glob"];
const MODELS = [
  "claude-opus-4-5-20251101",
  "claude-sonnet-4-5-20250929",
  "claude-opus-5-5",
  "claude-haiku-4-5-20251001",
];

const textOf = (r: () => number, bytes: number): string => {
  let s = "";
  while (s.length < bytes) s += `${CODE[Math.floor(r() * CODE.length)]}\n`;
  return s.slice(0, bytes);
};

/** One transcript's lines, about `target` bytes long. */
function* transcriptLines(
  r: () => number,
  sessionId: string,
  cwd: string,
  target: number,
  sidechain: string | null,
) {
  const model = MODELS[Math.floor(r() * MODELS.length)]!;
  let t = Date.UTC(2026, 9, 1) + Math.floor(r() * 50 * 86_400_000);
  const base = (type: string, extra: object) => {
    t += 1000 + Math.floor(r() * 20_000);
    return line(type, extra);
  };
  const line = (type: string, extra: object) => ({
    parentUuid: null,
    isSidechain: sidechain !== null,
    ...(sidechain !== null && { agentId: sidechain }),
    userType: "external",
    cwd,
    sessionId,
    version: "2.1.330",
    gitBranch: "main",
    type,
    uuid: randomUUID(),
    timestamp: new Date(t).toISOString(),
    ...extra,
  });
  let written = 0;
  const out = (line: object) => {
    const s = `${JSON.stringify(line)}\n`;
    written += s.length;
    return s;
  };
  if (sidechain === null) {
    yield out({
      type: "queue-operation",
      operation: "enqueue",
      timestamp: new Date(t).toISOString(),
      sessionId,
      content: "start",
    });
    if (r() < 0.2)
      yield out({ type: "custom-title", customTitle: `Named session ${sessionId.slice(0, 4)}`, sessionId });
    yield out({ type: "mode", mode: "normal", sessionId });
  }
  let turn = 0;
  while (written < target) {
    turn++;
    const prompt = `Task ${turn}: ${textOf(r, 80 + Math.floor(r() * 400))}`;
    yield out(base("user", { message: { role: "user", content: prompt }, promptId: randomUUID() }));
    for (let a = Math.floor(r() * 3); a > 0; a--)
      yield out(
        base("attachment", {
          attachment: { type: "hook_success", content: textOf(r, 500 + Math.floor(r() * 2500)) },
        }),
      );
    for (let call = Math.floor(r() * 5); call >= 0; call--) {
      const id = `msg_${uuidFrom(r).replaceAll("-", "").slice(0, 24)}`;
      const requestId = `req_${uuidFrom(r).replaceAll("-", "").slice(0, 24)}`;
      const usage = {
        input_tokens: Math.floor(r() * 5000),
        cache_creation_input_tokens: Math.floor(r() * 20_000),
        cache_read_input_tokens: Math.floor(r() * 150_000),
        output_tokens: Math.floor(r() * 3000),
        service_tier: "standard",
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
      };
      const message = (content: object[]) => ({
        id,
        type: "message",
        role: "assistant",
        model,
        content,
        stop_reason: null,
        stop_sequence: null,
        usage,
      });
      yield out(
        base("assistant", {
          message: message([{ type: "text", text: textOf(r, 100 + Math.floor(r() * 1200)) }]),
          requestId,
        }),
      );
      if (call === 0) break;
      const tool = TOOLS[Math.floor(r() * TOOLS.length)]!;
      const toolId = `toolu_${uuidFrom(r).replaceAll("-", "").slice(0, 24)}`;
      yield out(
        base("assistant", {
          message: message([
            {
              type: "tool_use",
              id: toolId,
              name: tool,
              input: {
                file_path: `${cwd}/src/f${call}.ts`,
                content: textOf(r, 100 + Math.floor(r() * 6000)),
              },
            },
          ]),
          requestId,
        }),
      );
      const result = textOf(r, 200 + Math.floor(r() * (r() < 0.1 ? 60_000 : 12_000)));
      yield out(
        base("user", {
          message: {
            role: "user",
            content: [{ type: "tool_result", tool_use_id: toolId, content: result, is_error: false }],
          },
          toolUseResult: { stdout: result.slice(0, 2000), stderr: "" },
        }),
      );
    }
    yield out(
      base("system", {
        subtype: "stop_hook_summary",
        hookCount: 1,
        hookInfos: [{ command: "claire hook" }],
        level: "suggestion",
      }),
    );
    if (sidechain === null) yield out({ type: "last-prompt", lastPrompt: prompt.slice(0, 200), sessionId });
  }
}

/** Sizes spread log-normally (a few long sessions hold much of the bytes), scaled to the total. */
const sizesFor = (r: () => number, n: number, total: number): number[] => {
  const raw = Array.from({ length: n }, () => {
    const g = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    return Math.exp(1.1 * g);
  });
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => Math.max(2_000, Math.round((x / sum) * total)));
};

const writeFileStreamed = (path: string, lines: Iterable<string>): number => {
  const fd = openSync(path, "w");
  let bytes = 0;
  let chunk = "";
  try {
    for (const l of lines) {
      chunk += l;
      if (chunk.length > 1 << 20) {
        bytes += writeSync(fd, chunk);
        chunk = "";
      }
    }
    if (chunk) bytes += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return bytes;
};

/** Where a corpus of this spec lives between runs. */
export const corpusDir = (spec: CorpusSpec): string =>
  join(
    tmpdir(),
    `claire-bench-sessions-v${CORPUS_FORMAT}-${spec.transcripts}x${spec.totalBytes}-s${spec.seed}`,
  );

export const ensureCorpus = (
  spec: CorpusSpec,
  dir = corpusDir(spec),
  log: (m: string) => void = () => {},
): Corpus => {
  const manifestPath = join(dir, "manifest.json");
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as Omit<Corpus, "reused"> & { format: number };
    if (m.format === CORPUS_FORMAT) return { ...m, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const r = rng(spec.seed);
  const configDir = join(dir, "cfg");
  const sizes = sizesFor(r, spec.transcripts, spec.totalBytes);
  const projects = Math.max(1, Math.round(spec.transcripts / 20));
  const files: CorpusFile[] = [];
  let bytes = 0;
  const started = Date.now();
  sizes.forEach((size, i) => {
    const cwd = `/home/ada/work/project-${i % projects}`;
    const projectDir = join(configDir, "projects", cwd.replace(/[^a-zA-Z0-9]/g, "-"));
    mkdirSync(projectDir, { recursive: true });
    const sessionId = uuidFrom(r);
    // One session in ten ran a subagent, which gets a slice of its bytes.
    const sub = r() < 0.1 ? Math.round(size * 0.2) : 0;
    const path = join(projectDir, `${sessionId}.jsonl`);
    const n = writeFileStreamed(path, transcriptLines(r, sessionId, cwd, size - sub, null));
    files.push({ path, sessionId, bytes: n });
    bytes += n;
    if (sub > 0) {
      const agent = uuidFrom(r).replaceAll("-", "").slice(0, 17);
      const subDir = join(projectDir, sessionId, "subagents");
      mkdirSync(subDir, { recursive: true });
      const subPath = join(subDir, `agent-${agent}.jsonl`);
      const m = writeFileStreamed(subPath, transcriptLines(r, sessionId, cwd, sub, agent));
      files.push({ path: subPath, sessionId, bytes: m });
      bytes += m;
    }
    if ((i + 1) % 250 === 0)
      log(`corpus: ${i + 1}/${spec.transcripts} transcripts, ${(bytes / 1e6).toFixed(0)} MB`);
  });
  const corpus = { configDir, files, mainFiles: spec.transcripts, bytes };
  writeFileSync(manifestPath, JSON.stringify({ format: CORPUS_FORMAT, ...corpus }));
  log(
    `corpus: wrote ${files.length} files, ${(bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})`,
  );
  return { ...corpus, reused: false };
};
