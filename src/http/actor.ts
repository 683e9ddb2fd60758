// Who is calling: the X-Claire-Actor header ("human:alice@laptop", "session:<id>") when valid,
// else a person using the API. Anyone holding a token can act here; see docs/agents.md (trust).
import { type Actor, ActorSchema } from "../domain/actor.ts";

export const ACTOR_HEADER = "x-claire-actor";

export const actorFromHeader = (value: string | undefined): Actor | null => {
  if (!value) return null;
  const i = value.indexOf(":");
  if (i <= 0) return null;
  const parsed = ActorSchema.safeParse({ kind: value.slice(0, i), id: value.slice(i + 1) });
  return parsed.success ? parsed.data : null;
};

export const DEFAULT_API_ACTOR: Actor = { kind: "human", id: "api" };
