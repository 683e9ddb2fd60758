// The machine and state filters shared by every session listing (API, CLI, dashboard table).
import { type ServiceError, validationError } from "../domain/errors.ts";
import { err, ok, type Result } from "../domain/result.ts";
import { type SessionState, SessionStateSchema } from "../domain/session.ts";
import type { Resolvers } from "./resolve.ts";

export const parseSessionFilter = (
  resolve: Resolvers,
  machine: string | undefined,
  states: readonly string[] | undefined,
): Result<{ machineId: string | undefined; states: SessionState[] }, ServiceError> => {
  let machineId: string | undefined;
  if (machine) {
    const m = resolve.machine(machine);
    if (!m.ok) return m;
    machineId = m.value;
  }
  const parsed: SessionState[] = [];
  for (const s of states ?? []) {
    const p = SessionStateSchema.safeParse(s);
    if (!p.success) {
      return err(
        validationError(`unknown session state '${s}'`, [
          { path: "state", message: "working, waiting, idle, ended or unknown" },
        ]),
      );
    }
    parsed.push(p.data);
  }
  return ok({ machineId, states: parsed });
};
