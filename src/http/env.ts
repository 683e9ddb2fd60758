// The Hono environment shared by every route: the service and the caller's actor.
import type { Actor } from "../domain/actor.ts";
import type { Service } from "../service/index.ts";

export type AppEnv = {
  Variables: {
    service: Service;
    actor: Actor;
  };
};
