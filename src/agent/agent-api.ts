// The API as a long-lived agent process (the MCP server) uses it: the running server when there is
// one, else the same app in-process; checked again on every call while in-process (from the start,
// or since the server stopped answering), so writes move to a server started later or restarted
// (one writer whenever a server runs). While in-process it also notices its database file was
// replaced (`claire restore`) and opens the new one, rather than writing on into the old file.
import { type ApiClient, type ApiResponse, connect, type Query } from "../cli/api-client.ts";
import { fileIdentity } from "../runtime/file-identity.ts";

export type AgentApi = {
  readonly call: (
    method: string,
    path: string,
    opts?: { query?: Query; body?: unknown; actor?: string },
  ) => Promise<ApiResponse>;
  readonly close: () => void;
};

export const createAgentApi = (opts: { server?: string | undefined } = {}): AgentApi => {
  let client: ApiClient | null = null;
  /** The database file the in-process client opened: `claire restore` puts another in its place. */
  let opened: string | null = null;
  const paths = async () => (await import("../runtime/paths.ts")).localPaths();
  const serverNow = async (): Promise<boolean> => {
    const { runningServer } = await import("../runtime/server-file.ts");
    return runningServer((await paths()).dataDir) !== null;
  };
  const current = async (): Promise<ApiClient> => {
    if (client?.mode === "in-process" && !opts.server) {
      const file = fileIdentity((await paths()).dbPath);
      opened ??= file; // in-process since a server stopped answering: the file it opened then
      if (file !== opened || (await serverNow())) {
        client.close();
        client = null;
      }
    }
    if (client === null) {
      client = await connect({ server: opts.server });
      opened = client.mode === "in-process" ? fileIdentity((await paths()).dbPath) : null;
    }
    return client;
  };
  return {
    call: async (method, path, o = {}) => (await current()).call(method, path, o),
    close: () => {
      client?.close();
      client = null;
    },
  };
};
