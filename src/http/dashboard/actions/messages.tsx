// Sending a message (to a session, a group, a machine or everyone), and running sync now.
import { Hono } from "hono";
import { plural } from "../../../domain/plural.ts";
import type { SentMessage } from "../../../service/messages.ts";
import { COMPOSE_FORM, ComposeForm } from "../views/message-form.tsx";
import { type ActionDeps, readForm } from "./context.ts";
import { finish } from "./finish.tsx";

/** Whom it reached, and what the sender should know (an ended session, nobody reached). */
const sentText = (s: SentMessage): string =>
  `Sent; it reaches ${plural(s.reaches, "session")} now, ${plural(s.localTargets, "inbox", "inboxes")} on this machine (others as they sync).${
    s.warning ? ` Note: ${s.warning}.` : ""
  }`;

export const messageActions = (d: ActionDeps) =>
  new Hono()
    .post("/messages", async (c) => {
      const { values, back } = await readForm(c, "/messages");
      const result = d.service.sendMessage(d.actor, { to: values.to ?? "", body: values.body ?? "" });
      const fixed = back.startsWith("/sessions/") && values.to ? values.to : null;
      return finish(c, d, {
        values,
        result,
        back,
        title: "Send a message",
        done: result.ok ? sentText(result.value) : undefined,
        form: {
          id: COMPOSE_FORM,
          fields: ["to", "body"],
          keep: ["to"],
          render: (state) => (
            <ComposeForm
              state={state}
              back={back}
              targets={
                fixed
                  ? { fixed, label: "this session" }
                  : {
                      groups: d.service.listGroups(),
                      machines: d.service.listMachines(),
                      sessions: d.service.sessionChoices(),
                    }
              }
            />
          ),
        },
      });
    })
    .post("/sync/run", async (c) => {
      const { values, back } = await readForm(c, "/sync");
      if (!d.sync) {
        return finish(c, d, {
          values,
          back,
          title: "Sync now",
          result: {
            ok: false,
            error: { type: "ConflictError", message: "sync does not run in this process" },
          },
        });
      }
      const rounds = await d.sync.runNow();
      const failed = rounds.filter((r) => !r.ok);
      const pulled = rounds.reduce((n, r) => n + r.pulled.accepted, 0);
      return finish(c, d, {
        values,
        back,
        title: "Sync now",
        result:
          failed.length === 0
            ? { ok: true, value: null }
            : {
                ok: false,
                error: {
                  type: "ConflictError",
                  message: `sync failed with ${failed.map((r) => `${r.peer}: ${r.error}`).join("; ")}`,
                },
              },
        done:
          rounds.length === 0
            ? "No peers to sync with."
            : `Synced with ${rounds.length} ${rounds.length === 1 ? "peer" : "peers"}; ${pulled} new events.`,
      });
    });
