// A scripted stand-in for the Anthropic Messages API, on loopback only, so the real Claude Code
// CLI can run offline in tests (DESIGN.md section 10). Point claude at it with
// ANTHROPIC_BASE_URL=<url> and ANTHROPIC_API_KEY=<anything>.
//
// Every request is captured (path, headers, parsed body). `POST /v1/messages` is answered from the
// script, as SSE when the body says `stream: true`, else as one JSON message. Token counting is
// answered with a rough estimate; every other path gets a 404 JSON error (and is recorded), which
// Claude Code 2.1.330 tolerates. See docs/claude-code-notes.md for what claude actually calls.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedRequest {
  method: string;
  /** Path including query string, e.g. `/v1/messages?beta=true`. */
  path: string;
  /** Path without the query string. */
  pathname: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown;
  receivedAt: number;
  /** What the stand-in did with it: "messages", "count_tokens" or "unknown". */
  handledAs: "messages" | "count_tokens" | "unknown";
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type ReplyBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id?: string; name: string; input: Record<string, unknown> };

export interface ScriptedReply {
  /** A string is one text block. */
  content: string | ReplyBlock[];
  /** Defaults to "tool_use" when a tool_use block is present, else "end_turn". */
  stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence";
  /** Model reported back; defaults to the requested model. */
  model?: string;
  usage?: Partial<Usage>;
  /** Wait before answering: milliseconds, or a promise the test resolves (liveness tests). */
  hold?: number | Promise<unknown>;
  /**
   * Answer with this HTTP error instead (e.g. 529 overloaded_error). The response carries
   * `x-should-retry: false` unless `retry` is true (claude would otherwise retry up to 10 times
   * with backoff).
   */
  error?: { status: number; type: string; message: string; retry?: boolean };
}

/** The request as the script sees it. */
export interface MessagesCall {
  /** 0-based index among all `POST /v1/messages` calls. */
  index: number;
  body: MessagesBody;
  headers: IncomingHttpHeaders;
  /** From the `x-claude-code-session-id` header claude sends on every call. */
  sessionId: string | undefined;
  /**
   * What kind of call this is. "main": a turn of the session; "subagent": a turn of an Agent-tool
   * subagent (its system prompt carries `cc_is_subagent=true`); "compaction": `/compact` or
   * auto-compaction asking for an <analysis>/<summary> answer; "side": anything offering no tools
   * (title or other small helper calls; 2.1.330 made none in our runs, but older versions did).
   */
  kind: "main" | "subagent" | "compaction" | "side";
  /** Shorthand for `kind === "side"`. */
  isSide: boolean;
}

export interface MessagesBody {
  model: string;
  max_tokens?: number;
  stream?: boolean;
  system?: string | Array<{ type: string; text?: string }>;
  /** 2.1.330 also sends `role: "system"` messages (environment, deferred tool names, reminders). */
  messages: Array<{
    role: "user" | "assistant" | "system";
    content: string | Array<Record<string, unknown>>;
  }>;
  tools?: Array<{ name: string; [k: string]: unknown }>;
  [k: string]: unknown;
}

export type Script = (call: MessagesCall) => ScriptedReply | Promise<ScriptedReply>;

export interface FakeAnthropic {
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: CapturedRequest[];
  /** The `POST /v1/messages` bodies only, in order. */
  messageCalls(): MessagesBody[];
  close(): Promise<void>;
}

export const DEFAULT_USAGE: Usage = {
  input_tokens: 1200,
  output_tokens: 42,
  cache_creation_input_tokens: 3000,
  cache_read_input_tokens: 15000,
};

/** Default script: turns answer "Hello from the stand-in.", compaction a summary, side calls a title. */
export const defaultScript: Script = (call) => {
  if (call.kind === "side") return { content: "Offline test", usage: { input_tokens: 50, output_tokens: 3 } };
  if (call.kind === "compaction") return { content: "<summary>Offline conversation summary.</summary>" };
  return { content: "Hello from the stand-in." };
};

export async function startFakeAnthropic(script: Script = defaultScript): Promise<FakeAnthropic> {
  const requests: CapturedRequest[] = [];
  let messagesIndex = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // A broken script fails the turn at once (400, no retry) instead of a long retry loop.
      if (!res.headersSent)
        sendJson(res, 400, errorBody("invalid_request_error", `fake-anthropic: ${String(err)}`));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = req.url ?? "/";
    const pathname = path.split("?")[0] ?? path;
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const isMessages = req.method === "POST" && pathname === "/v1/messages";
    const isCount = req.method === "POST" && pathname === "/v1/messages/count_tokens";
    requests.push({
      method: req.method ?? "GET",
      path,
      pathname,
      headers: req.headers,
      body,
      receivedAt: Date.now(),
      handledAs: isMessages ? "messages" : isCount ? "count_tokens" : "unknown",
    });

    if (isCount) {
      sendJson(res, 200, { input_tokens: Math.max(1, Math.ceil(raw.length / 4)) });
      return;
    }
    if (!isMessages) {
      sendJson(
        res,
        404,
        errorBody("not_found_error", `fake-anthropic: no route for ${req.method} ${pathname}`),
      );
      return;
    }

    const mb = body as MessagesBody;
    const kind = callKind(mb);
    const sid = req.headers["x-claude-code-session-id"];
    const call: MessagesCall = {
      index: messagesIndex++,
      body: mb,
      headers: req.headers,
      sessionId: typeof sid === "string" ? sid : undefined,
      kind,
      isSide: kind === "side",
    };
    const reply = await script(call);
    if (reply.hold !== undefined) {
      const aborted = await holdFor(reply.hold, res);
      if (aborted) return;
    }
    if (reply.error) {
      const { status, type, message, retry } = reply.error;
      sendJson(res, status, errorBody(type, message), retry ? {} : { "x-should-retry": "false" });
      return;
    }
    const message = buildMessage(reply, mb.model);
    if (mb.stream) sendSse(res, message);
    else sendJson(res, 200, message);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    messageCalls: () => requests.filter((r) => r.handledAs === "messages").map((r) => r.body as MessagesBody),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- helpers for scripts and assertions ----

function callKind(body: MessagesBody): MessagesCall["kind"] {
  if (!Array.isArray(body.tools) || body.tools.length === 0) return "side";
  const last = lastUserText(body);
  if (last.includes("<summary>") && last.includes("<analysis>")) return "compaction";
  if (systemText(body).includes("cc_is_subagent=true")) return "subagent";
  return "main";
}

/** All text the system prompt carries, joined. */
export function systemText(body: MessagesBody): string {
  if (typeof body.system === "string") return body.system;
  return (body.system ?? []).map((b) => b.text ?? "").join("\n");
}

/** All text of every message (text blocks, tool results), joined: what "reached the model". */
export function conversationText(body: MessagesBody): string {
  const parts: string[] = [];
  for (const m of body.messages) {
    if (typeof m.content === "string") parts.push(m.content);
    else for (const b of m.content) parts.push(blockText(b));
  }
  return parts.join("\n");
}

/** Text of the last user message (text blocks only). */
export function lastUserText(body: MessagesBody): string {
  const last = [...body.messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return last.content
    .filter((b) => b.type === "text")
    .map((b) => String(b.text ?? ""))
    .join("\n");
}

/** tool_result blocks in the last user message. */
export function lastToolResults(
  body: MessagesBody,
): Array<{ tool_use_id: string; text: string; is_error: boolean }> {
  const last = body.messages[body.messages.length - 1];
  if (last?.role !== "user" || typeof last.content === "string") return [];
  return last.content
    .filter((b) => b.type === "tool_result")
    .map((b) => ({ tool_use_id: String(b.tool_use_id), text: blockText(b), is_error: b.is_error === true }));
}

/** Names of the tools offered in the request. */
export function toolNames(body: MessagesBody): string[] {
  return (body.tools ?? []).map((t) => t.name);
}

function blockText(b: Record<string, unknown>): string {
  if (typeof b.text === "string") return b.text;
  if (b.type === "tool_result") {
    if (typeof b.content === "string") return b.content;
    if (Array.isArray(b.content))
      return b.content.map((c) => blockText(c as Record<string, unknown>)).join("\n");
  }
  return "";
}

// ---- wire format ----

interface WireMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: Array<Record<string, unknown>>;
  stop_reason: string;
  stop_sequence: null;
  usage: Usage;
}

function buildMessage(reply: ScriptedReply, requestedModel: string): WireMessage {
  const blocks: ReplyBlock[] =
    typeof reply.content === "string" ? [{ type: "text", text: reply.content }] : reply.content;
  const content = blocks.map((b) =>
    b.type === "text"
      ? { type: "text", text: b.text }
      : { type: "tool_use", id: b.id ?? newId("toolu_"), name: b.name, input: b.input },
  );
  const hasTool = content.some((b) => b.type === "tool_use");
  return {
    id: newId("msg_"),
    type: "message",
    role: "assistant",
    model: reply.model ?? requestedModel,
    content,
    stop_reason: reply.stopReason ?? (hasTool ? "tool_use" : "end_turn"),
    stop_sequence: null,
    usage: { ...DEFAULT_USAGE, ...reply.usage },
  };
}

function sendSse(res: ServerResponse, m: WireMessage): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "request-id": newId("req_"),
  });
  const ev = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const { output_tokens, ...inputUsage } = m.usage;
  ev("message_start", {
    message: { ...m, content: [], stop_reason: null, usage: { ...inputUsage, output_tokens: 1 } },
  });
  ev("ping", {});
  m.content.forEach((block, index) => {
    if (block.type === "text") {
      ev("content_block_start", { index, content_block: { type: "text", text: "" } });
      for (const piece of chunks(String(block.text), 24)) {
        ev("content_block_delta", { index, delta: { type: "text_delta", text: piece } });
      }
    } else {
      ev("content_block_start", {
        index,
        content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
      });
      for (const piece of chunks(JSON.stringify(block.input), 24)) {
        ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: piece } });
      }
    }
    ev("content_block_stop", { index });
  });
  ev("message_delta", {
    delta: { stop_reason: m.stop_reason, stop_sequence: null },
    usage: { ...m.usage, output_tokens },
  });
  ev("message_stop", {});
  res.end();
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "request-id": newId("req_"), ...headers });
  res.end(text);
}

function errorBody(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

/** Resolves true when the client went away while holding. */
function holdFor(hold: number | Promise<unknown>, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(aborted);
    };
    const timer = typeof hold === "number" ? setTimeout(() => finish(false), hold) : undefined;
    if (typeof hold !== "number")
      hold.then(
        () => finish(false),
        () => finish(false),
      );
    res.once("close", () => finish(true));
  });
}

function chunks(s: string, size: number): string[] {
  if (s.length === 0) return [""];
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function newId(prefix: string): string {
  return prefix + randomBytes(12).toString("hex");
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}
