import { describe, expect, it } from "vitest";
import { problemToError } from "./command-kit.ts";
import { EXIT } from "./exit-codes.ts";

describe("problemToError", () => {
  it("shows each validation error once: not again below a detail that lists it", () => {
    const e = problemToError({
      status: 422,
      body: {
        detail: 'invalid query: state.0: Invalid option: expected one of "working"|"idle"',
        errors: [
          { path: "state.0", message: 'Invalid option: expected one of "working"|"idle"' },
          { path: "limit", message: "Too big" },
        ],
      },
    });
    expect(e.message).toBe('invalid query: state.0: Invalid option: expected one of "working"|"idle"');
    expect(e.details).toEqual(["limit: Too big"]);
    expect(e.exitCode).toBe(EXIT.user);
  });

  it("says where to look when a name matched nothing, and marks a server failure as internal", () => {
    const missing = problemToError({ status: 404, body: { detail: "no task matches 'nope'" } });
    expect(missing.details).toEqual(["see which there are: claire task list"]);
    const broken = problemToError({ status: 500, body: "boom" });
    expect(broken.message).toBe("boom");
    expect(broken.exitCode).toBe(EXIT.internal);
  });

  it("tells a CLI user refused for want of a token to give it in CLAIRE_TOKEN", () => {
    const saved = process.env.CLAIRE_TOKEN;
    try {
      delete process.env.CLAIRE_TOKEN;
      const body = { detail: "this request needs 'Authorization: Bearer <token>'" };
      expect(problemToError({ status: 401, body }).details).toEqual([
        "give the CLI a token the server accepts: CLAIRE_TOKEN=claire_… claire <command> (make one there: claire token create)",
      ]);
      process.env.CLAIRE_TOKEN = "claire_wrong";
      expect(problemToError({ status: 401, body }).details[0]).toMatch(
        /the token in CLAIRE_TOKEN is not one/,
      );
    } finally {
      if (saved === undefined) delete process.env.CLAIRE_TOKEN;
      else process.env.CLAIRE_TOKEN = saved;
    }
  });
});
