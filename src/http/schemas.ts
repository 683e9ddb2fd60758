// Pieces shared by routes: path ids, paging, comma lists in query strings, and the peer health that
// both the sync routes and the fleet status answer with.
import { z } from "zod";

export const IdParam = z.object({ id: z.string().min(1).max(200) });

/** Something a person typed to name an entity: an id, a short handle, a name or a session key. */
export const RefQuery = z.string().trim().min(1).max(300);

/**
 * A whole number in a query string, written in decimal digits: not "0x10", "1e3", " " or an empty
 * value, which Number() would read as 16, 1000 and 0; given twice it is an error, not NaN.
 */
export const intQuery = (min: number, max: number, dflt: number) =>
  z
    .string({ error: "give it once, as a whole number" })
    .regex(/^\d{1,16}$/, "a whole number in decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((n) => n ?? dflt);

export const limitQuery = (max: number, dflt: number) => intQuery(1, max, dflt);
export const offsetQuery = intQuery(0, 10_000_000, 0);

/** `?status=todo,done` or repeated `?status=todo&status=done`, as a list. */
export const commaList = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean),
);

export const booleanQuery = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const json = <S extends z.ZodType>(schema: S, description = "JSON body") => ({
  content: { "application/json": { schema } },
  required: true,
  description,
});

export const ok = <S extends z.ZodType>(schema: S, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/** Sync health of one peer: `GET /sync/peers` lists them, the fleet status includes them. */
export const PeerHealthSchema = z.strictObject({
  peer: z.string(),
  machineId: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  behind: z.number().int().nullable(),
  pulled: z.number().int(),
  pushed: z.number().int(),
  clockOffsetMs: z.number().nullable(),
  /** Its name in claire.toml, when it has one and this process runs sync. */
  name: z.string().nullable().optional(),
});
