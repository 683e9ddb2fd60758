// A session is identified fleet-wide by the machine that hosts it and Claude Code's session id.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";

export const SessionRefSchema = lazySchema(() =>
  z.strictObject({
    machineId: z.uuid(),
    sessionId: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits, '_', '.', ':' or '-'"),
  }),
);
export type SessionRef = z.infer<typeof SessionRefSchema>;

export const sessionKey = (s: SessionRef): string => `${s.machineId}/${s.sessionId}`;

export const parseSessionKey = (key: string): SessionRef | null => {
  const i = key.indexOf("/");
  if (i <= 0) return null;
  return { machineId: key.slice(0, i), sessionId: key.slice(i + 1) };
};
