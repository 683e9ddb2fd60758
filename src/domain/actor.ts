// Who caused an event: a person, an agent session, the machine itself, or a peer relaying.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";

export const ACTOR_KINDS = ["human", "session", "machine", "peer"] as const;
export const ActorSchema = lazySchema(() =>
  z.strictObject({
    kind: z.enum(ACTOR_KINDS),
    id: z.string().min(1).max(200),
  }),
);
export type Actor = z.infer<typeof ActorSchema>;

export const describeActor = (a: Actor): string => `${a.kind}:${a.id}`;
