// Claire's API as the tests see it: the routes the Hono app really serves, their operations in the
// OpenAPI document it publishes, and response checks against that document.
import { validateJson } from "./api-json-schema.ts";

export type OpenApiMedia = { readonly schema: unknown };
export type OpenApiOperation = {
  readonly responses: Readonly<Record<string, { readonly content?: Readonly<Record<string, OpenApiMedia>> }>>;
  readonly requestBody?: { readonly content: Readonly<Record<string, OpenApiMedia>> };
  readonly parameters?: readonly {
    readonly name: string;
    readonly in: string;
    readonly required?: boolean;
  }[];
};
export type OpenApiDocument = {
  readonly openapi: string;
  readonly paths: Readonly<Record<string, Readonly<Record<string, OpenApiOperation>>>>;
};

/** Loopback Host and JSON body: what a well-behaved client sends. */
export const API_HEADERS = { host: "127.0.0.1:8765", "content-type": "application/json" } as const;

type RoutedApp = { readonly routes: readonly { readonly method: string; readonly path: string }[] };

/**
 * The /api/v1 routes the app serves, as "METHOD /path/:param", from Hono's own route list: one per
 * method and path (validators register as extra entries), middleware (method ALL) left out.
 */
export const servedApiRoutes = (app: RoutedApp): string[] => [
  ...new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
      .map((r) => `${r.method} ${r.path}`),
  ),
];

export const splitRouteKey = (key: string): { method: string; path: string } => {
  const i = key.indexOf(" ");
  return { method: key.slice(0, i), path: key.slice(i + 1) };
};

export const toOpenApiPath = (honoPath: string): string => honoPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

export const operationOf = (doc: OpenApiDocument, routeKey: string): OpenApiOperation | undefined => {
  const { method, path } = splitRouteKey(routeKey);
  return doc.paths[toOpenApiPath(path)]?.[method.toLowerCase()];
};

/** Every "METHOD /path/:param" the document describes. */
export const documentedRoutes = (doc: OpenApiDocument): string[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1")}`),
  );

/**
 * Why a response does not match what the document promises for this route and status: an
 * undocumented status or content type, or a body its schema rejects. Empty when it conforms.
 */
export const responseProblems = (
  doc: OpenApiDocument,
  routeKey: string,
  status: number,
  contentType: string | null,
  body: unknown,
): string[] => {
  const op = operationOf(doc, routeKey);
  if (!op) return [`${routeKey} is not in the OpenAPI document`];
  const response = op.responses[String(status)];
  if (!response) return [`${routeKey} does not document status ${status}`];
  const media = (contentType ?? "").split(";")[0]!.trim();
  const content = response.content?.[media];
  if (!content) return [`${routeKey} ${status} does not document content type '${media}'`];
  return validateJson(content.schema, body, doc);
};
