// The refusal words people read, through real schemas of the domain.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CreateTaskInputSchema } from "./task.ts";

const messages = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("refusal messages", () => {
  it("say what to change, in words, not the schema library's", () => {
    expect(messages(CreateTaskInputSchema, { projectId: "p", title: "t", priority: "extreme" })).toEqual([
      "priority: must be one of low, normal, high, urgent",
    ]);
    expect(messages(CreateTaskInputSchema, { projectId: "p", title: "t", labels: ["x".repeat(65)] })).toEqual(
      ["labels.0: at most 64 characters"],
    );
    expect(messages(z.strictObject({ n: z.number().int().min(1).max(10) }), { n: 0 })).toEqual([
      "n: must be at least 1",
    ]);
    expect(messages(z.strictObject({ s: z.string().min(1) }), { s: "" })).toEqual(["s: must not be empty"]);
    expect(messages(z.strictObject({ s: z.string() }), { s: 3 })).toEqual(["s: expected a string"]);
    expect(messages(z.array(z.string()).min(1), [])).toEqual([": give at least one"]);
  });
});
