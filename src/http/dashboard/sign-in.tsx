// /sign-in and /sign-out: a token (from `claire token create` on this machine) buys a cookie for
// browsers that reach the dashboard from another machine. See middleware/dashboard-auth.ts.
import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import { isFromThisMachine } from "../middleware/auth.ts";
import { SIGN_IN_COOKIE, SIGN_IN_TTL_MS, type SignIns } from "../middleware/dashboard-auth.ts";
import { formValues, localPath } from "./forms.ts";

type PageFn = (c: Context, title: string, body: Child, status: 200 | 401) => Promise<Response>;

const SignInForm = (p: { next: string; error: string | null }) => (
  <form class="form" method="post" action="/sign-in" aria-label="Sign in">
    <input type="hidden" name="next" value={p.next} />
    {p.error && (
      <p class="form-error" role="alert">
        {p.error}
      </p>
    )}
    <div class={p.error ? "field invalid" : "field"}>
      <label for="sign-in-token">API token</label>
      <input
        id="sign-in-token"
        name="token"
        type="password"
        autocomplete="current-password"
        aria-describedby="sign-in-hint"
        aria-invalid={p.error ? "true" : undefined}
      />
      <p class="hint" id="sign-in-hint">
        Create one on this machine with <code>claire token create</code>; revoking it signs this browser out.
      </p>
    </div>
    <div class="actions">
      <button type="submit">Sign in</button>
    </div>
  </form>
);

export const signInRoutes = (deps: { signIns: SignIns; page: PageFn }) =>
  new Hono()
    .get("/sign-in", (c) =>
      deps.page(
        c,
        "Sign in",
        <>
          <h1>Sign in</h1>
          <p>
            {isFromThisMachine(c.env)
              ? 'This server asks every visitor to sign in (auth.require = "always" in its claire.toml), with one of this machine\'s API tokens.'
              : "This dashboard is reached from another machine, so it needs one of this machine's API tokens."}
          </p>
          <SignInForm next={localPath(c.req.query("next"), "/")} error={null} />
        </>,
        200,
      ),
    )
    .post("/sign-in", async (c) => {
      const values = formValues(await c.req.parseBody());
      const next = localPath(values.next, "/");
      const credential = deps.signIns.signIn((values.token ?? "").trim());
      if (!credential) {
        return deps.page(
          c,
          "Sign in",
          <>
            <h1>Sign in</h1>
            <SignInForm
              next={next}
              error="That token is not valid here (revoked, mistyped, or made on another machine)."
            />
          </>,
          401,
        );
      }
      setCookie(c, SIGN_IN_COOKIE, credential, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        maxAge: Math.floor(SIGN_IN_TTL_MS / 1000),
        secure: new URL(c.req.url).protocol === "https:",
      });
      return c.redirect(next, 303);
    })
    .post("/sign-out", (c) => {
      const credential = getCookie(c, SIGN_IN_COOKIE);
      if (credential) deps.signIns.signOut(credential);
      deleteCookie(c, SIGN_IN_COOKIE, { path: "/" });
      return c.redirect("/sign-in", 303);
    });
