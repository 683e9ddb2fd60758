import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../domain/events.ts";
import { taskTimelineEntrySchema } from "../domain/timeline.ts";
import { eventToTimelineEntry } from "./tasks.ts";

const stored = (over: Partial<StoredEvent>): StoredEvent => ({
  seq: 1,
  id: "01a20a4a-c72d-7152-bd17-449b92231294",
  hlc: "01a20846fe00-000f-5c1ad85870574c7b",
  machineId: "5c1ad858-7057-4c7b-900f-9a6b780d128d",
  epoch: 0,
  originSeq: 1,
  actor: { kind: "human", id: "tester" },
  type: "task.status_changed",
  entityId: "01a20a4a-c72b-7652-9237-5de4992ed067",
  data: JSON.stringify({ status: "done" }),
  applied: true,
  ...over,
});

describe("task timeline entries", () => {
  it("show an event's known fields, its time and actor, in the closed view schema", () => {
    const entry = eventToTimelineEntry(
      stored({ data: JSON.stringify({ status: "done", fromNewerPeer: 1 }) }),
    );
    expect(entry).toEqual({
      id: "01a20a4a-c72d-7152-bd17-449b92231294",
      type: "task.status_changed",
      hlc: "01a20846fe00-000f-5c1ad85870574c7b",
      at: "2026-11-23T12:00:00.000Z",
      actor: { kind: "human", id: "tester" },
      data: { status: "done" },
    });
    expect(taskTimelineEntrySchema().safeParse(entry).success).toBe(true);
  });

  it("leave out quarantined events, other entities' types and data that does not parse", () => {
    expect(eventToTimelineEntry(stored({ applied: false }))).toBeNull();
    expect(eventToTimelineEntry(stored({ type: "project.archived", data: '{"archived":true}' }))).toBeNull();
    expect(eventToTimelineEntry(stored({ type: "task.future_thing" }))).toBeNull();
    expect(eventToTimelineEntry(stored({ data: "{" }))).toBeNull();
    expect(eventToTimelineEntry(stored({ data: '{"status":"paused"}' }))).toBeNull();
  });
});
