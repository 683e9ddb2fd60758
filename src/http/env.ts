// The Hono environment shared by every route: the service, the caller's actor, Claire's version.
import type { Actor } from "../domain/actor.ts";
import type { Service } from "../service/index.ts";

export type AppEnv = {
  Variables: {
    service: Service;
    actor: Actor;
    version: string;
  };
};
