import { afterEach, describe, expect, it } from "vitest";
import { createTempClaire, must, type TempClaire } from "../../test/support/temp-claire.ts";
import { SIGN_IN_TTL_MS } from "./tokens.ts";

const claires: TempClaire[] = [];
afterEach(() => {
  for (const c of claires.splice(0)) c.close();
});
const claire = () => {
  const c = createTempClaire();
  claires.push(c);
  return c;
};

describe("dashboard sign-ins", () => {
  it("are bought with an active token, kept hashed, and end with the token, sign-out or time", () => {
    const c = claire();
    const { token } = must(c.service.createToken("phone"));
    expect(c.service.signIn("claire_wrong")).toBeNull();
    const credential = c.service.signIn(token)!;
    expect(credential).toMatch(/^[\w-]{43}$/);
    c.clock.now += 60_000;
    expect(c.service.checkSignIn(credential)).toBe(true);
    // Its use counts as the token's.
    expect(c.service.listTokens()[0]!.lastUsedAt).toBe(new Date(c.clock.now).toISOString());
    expect(c.service.checkSignIn(`${credential}x`)).toBe(false);
    // Neither the credential nor the token is in the database.
    const rows = JSON.stringify(c.store.db.prepare("SELECT * FROM dashboard_sign_ins").all());
    expect(rows).not.toContain(credential);
    expect(rows).not.toContain(token);
    c.service.signOut(credential);
    expect(c.service.checkSignIn(credential)).toBe(false);

    const again = c.service.signIn(token)!;
    c.clock.now += SIGN_IN_TTL_MS + 1;
    expect(c.service.checkSignIn(again)).toBe(false);
    const third = c.service.signIn(token)!;
    must(c.service.revokeToken("phone"));
    expect(c.service.checkSignIn(third)).toBe(false);
    expect(c.service.signIn(token)).toBeNull();
  });

  it("are kept at most 1,000: the oldest go first", () => {
    const c = claire();
    const { token } = must(c.service.createToken("kiosk"));
    const first = c.service.signIn(token)!;
    c.clock.now += 1;
    const second = c.service.signIn(token)!;
    for (let i = 0; i < 999; i++) {
      c.clock.now += 1;
      c.service.signIn(token);
    }
    expect(c.service.checkSignIn(first)).toBe(false);
    expect(c.service.checkSignIn(second)).toBe(true);
    const count = c.store.db.prepare("SELECT COUNT(*) AS n FROM dashboard_sign_ins").get() as { n: number };
    expect(count.n).toBe(1000);
  });
});

describe("revoking a token", () => {
  it("by name, by the ID `token list` shows (its last 8 digits), by the whole id or its start", () => {
    const c = claire();
    const made = ["laptop", "phone", "ci", "desk"].map((n) => must(c.service.createToken(n)));
    const [laptop, phone, ci, desk] = made as [
      (typeof made)[0],
      (typeof made)[0],
      (typeof made)[0],
      (typeof made)[0],
    ];
    expect(must(c.service.revokeToken(laptop.id.slice(-8))).name).toBe("laptop");
    expect(must(c.service.revokeToken("phone")).name).toBe("phone");
    expect(must(c.service.revokeToken(ci.id)).name).toBe("ci");
    expect(must(c.service.revokeToken(desk.id.slice(0, 30))).name).toBe("desk");
    expect(c.service.listTokens().every((t) => t.revokedAt !== null)).toBe(true);
    expect(phone.id).not.toBe(laptop.id);
  });

  it("refuses a start of id that several active tokens share (made in the same millisecond range), revoking none", () => {
    const c = claire();
    const a = must(c.service.createToken("a"));
    const b = must(c.service.createToken("b"));
    let common = 0;
    while (a.id[common] === b.id[common]) common++;
    const r = c.service.revokeToken(a.id.slice(0, Math.max(1, common)));
    expect(r).toMatchObject({
      ok: false,
      error: {
        type: "ConflictError",
        message: expect.stringMatching(
          /matches several active tokens: .*\(a\).*\(b\)|matches several active tokens: .*\(b\).*\(a\)/,
        ),
      },
    });
    expect(c.service.listTokens().every((t) => t.revokedAt === null)).toBe(true);
    expect(c.service.revokeToken("nope")).toMatchObject({ ok: false, error: { type: "NotFoundError" } });
    expect(c.service.revokeToken("")).toMatchObject({ ok: false, error: { type: "NotFoundError" } });
  });
});
