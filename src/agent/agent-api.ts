// The API as a long-lived agent process (the MCP server) uses it: the running server when there is
// one, else the same app in-process; checked again on every call while in-process (from the start,
// or since the server stopped answering), so writes move to a server started later or restarted
// (one writer whenever a server runs).
import { type ApiClient, type ApiResponse, connect, type Query } from "../cli/api-client.ts";

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
  const serverNow = async (): Promise<boolean> => {
    const { runningServer } = await import("../runtime/server-file.ts");
    const { localPaths } = await import("../runtime/paths.ts");
    return runningServer(localPaths().dataDir) !== null;
  };
  const current = async (): Promise<ApiClient> => {
    if (client?.mode === "in-process" && !opts.server && (await serverNow())) {
      client.close();
      client = null;
    }
    client ??= await connect({ server: opts.server });
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
