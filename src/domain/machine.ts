// Machine: one Claire installation, identified by the UUIDv4 machine_id in its claire.toml.
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";

export const MachineSchema = lazySchema(() =>
  z.strictObject({
    id: z.string(),
    handle: z.string(),
    name: z.string().nullable(),
    groups: z.array(z.string()),
    /** HLC time of the newest event from this machine that we hold. */
    lastEventAt: z.string().nullable(),
    isLocal: z.boolean(),
  }),
);
export type Machine = z.infer<typeof MachineSchema>;
