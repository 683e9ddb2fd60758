// Dashboard forms, in process: each posts to the same service operation as the API, answers a plain
// post with a redirect (or the form again with its errors inline), and an htmx post with the form
// and the page's changed sections.
import { hostname, userInfo } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createDashboardWorld,
  type DashboardWorld,
  dashboardApp,
  get,
  post,
} from "./support/dashboard-world.ts";
import { must } from "./support/temp-claire.ts";

let w: DashboardWorld;
let app: ReturnType<typeof dashboardApp>;

beforeEach(async () => {
  w = await createDashboardWorld();
  app = dashboardApp(w);
});
afterEach(() => w.close());

const s = () => w.laptop.service;
const projectTasks = () => {
  const r = s().listTasks({ project: w.project.id, limit: 100 });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.tasks;
};
const sessionKey = (r: { machineId: string; sessionId: string }) => `${r.machineId}/${r.sessionId}`;
const htmx = (current: string, extra: Record<string, string> = {}) => ({
  htmx: true,
  headers: { "hx-current-url": `http://127.0.0.1:8765${current}`, ...extra },
});

describe("dashboard actions", () => {
  it("creates a project: a plain post redirects to its board; the actor is this machine's person", async () => {
    const r = await post(app, "/projects", { name: "gemini", description: "two seats", back: "/projects" });
    expect(r.status).toBe(303);
    const project = s()
      .listProjects()
      .find((p) => p.name === "gemini")!;
    expect(r.headers.get("location")).toBe(`/projects/${project.id}`);
    const created = w.laptop.store.q.events.timeline(project.id, 10)[0]!;
    expect(created.actor.kind).toBe("human");
    // user@host, as the CLI names the same person (not the machine name, "laptop" here).
    expect(created.actor.id).toBe(`${userInfo().username}@${hostname()}`);
  });

  it("shows errors inline: an empty name is a 422 page, a duplicate a 409 swapped into the form", async () => {
    const plain = await post(app, "/projects", { name: "   ", back: "/projects" });
    expect(plain.status).toBe(422);
    const html = await plain.text();
    expect(html).toContain("<!doctype html>");
    expect(html).toMatch(/id="new-project-name"[^>]*aria-invalid="true"/);
    expect(html).toContain('id="new-project-name-err"');
    expect(html).toContain("must not be empty");
    const dup = await post(app, "/projects", { name: "apollo", back: "/projects" }, htmx("/projects"));
    expect(dup.status).toBe(409);
    expect(dup.headers.get("hx-retarget")).toBe("#new-project");
    const form = await dup.text();
    expect(form).not.toContain("<html");
    expect(form).toContain("already exists");
    expect(form).toContain('value="apollo"');
    expect(
      s()
        .listProjects()
        .filter((p) => p.name === "apollo"),
    ).toHaveLength(1);
  });

  it("adds a task from the board: htmx gets a fresh form, the changed column and a confirmation", async () => {
    const board = `/projects/${w.project.id}`;
    const r = await post(
      app,
      `${board}/tasks`,
      {
        title: "Ship it",
        priority: "urgent",
        labels: "release, ops",
        dependsOn: w.tasks.todo.handle,
        back: board,
      },
      htmx(board),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get("hx-retarget")).toBe("#new-task");
    const body = await r.text();
    expect(body).toContain('id="new-task"');
    expect(body).toContain('<div id="col-todo" class="live column-wrap" hx-swap-oob="true">');
    expect(body).toContain("Ship it");
    expect(body).toContain('id="flash" hx-swap-oob="innerHTML"');
    const task = projectTasks().find((x) => x.title === "Ship it");
    expect(task).toMatchObject({
      priority: "urgent",
      labels: ["ops", "release"],
      dependsOn: [w.tasks.todo.id],
    });
    // A bad label is reported on its field.
    const bad = await post(
      app,
      `${board}/tasks`,
      { title: "x", labels: "has space!", back: board },
      htmx(board),
    );
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/id="new-task-labels"[^>]*aria-invalid="true"/);
    // The earlier "Added …" confirmation is cleared: the error is said at the form.
    expect(badHtml).toContain('<div id="flash" hx-swap-oob="innerHTML"></div>');
  });

  it("moves a task from the dialog (closing it) and refuses a transition the rules forbid", async () => {
    const id = w.tasks.todo.id;
    const r = await post(
      app,
      `/tasks/${id}/status`,
      { status: "in_progress", back: `/projects/${w.project.id}` },
      htmx(`/projects/${w.project.id}`, { "hx-target": "dialog-body" }),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get("hx-trigger-after-settle")).toBe("claire:dialog-close");
    expect(s().getTask(id)).toMatchObject({ ok: true, value: { status: "in_progress" } });
    const refused = await post(
      app,
      `/tasks/${w.tasks.done.id}/status`,
      { status: "in_progress" },
      htmx(`/projects/${w.project.id}`, { "hx-target": "dialog-body" }),
    );
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("cannot go from done to in_progress");
    // Without JavaScript: back to the board.
    const plain = await post(app, `/tasks/${id}/status`, {
      status: "done",
      back: `/projects/${w.project.id}`,
    });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("location")).toBe(`/projects/${w.project.id}`);
    // Only local paths are followed.
    const away = await post(app, `/tasks/${id}/status`, { status: "todo", back: "//evil.example/" });
    expect(away.headers.get("location")).toBe(`/tasks/${id}`);
    // Browsers drop tabs and newlines: "/\t/evil.example" would be "//evil.example".
    for (const back of ["/\t/evil.example/", "/\n/evil.example/", "/\u0000x"]) {
      const sneaky = await post(app, `/tasks/${id}/status`, { status: "done", back });
      expect({ back, location: sneaky.headers.get("location") }).toEqual({ back, location: `/tasks/${id}` });
      await post(app, `/tasks/${id}/status`, { status: "todo" });
    }
  });

  it("assigns and unassigns; an unknown session is an inline error", async () => {
    const id = w.tasks.todo.id;
    const r = await post(app, `/tasks/${id}/assign`, { session: sessionKey(w.sessions.remote) });
    expect(r.status).toBe(303);
    expect(s().getTask(id)).toMatchObject({
      ok: true,
      value: { owner: { session: w.sessions.remote, via: "assigned" } },
    });
    // The owner is shown in the picker but cannot be chosen again (a plain click would be a 409),
    // and there is an Unassign button only while there is an owner.
    const page = await (await get(app, `/tasks/${id}`)).text();
    const owner = new RegExp(`<option value="${sessionKey(w.sessions.remote)}"[^>]*>[^<]*</option>`).exec(
      page,
    )?.[0];
    expect(owner).toMatch(/disabled/);
    expect(owner).not.toMatch(/selected/);
    expect(owner).toContain("(owns it)");
    expect(page).toContain(`action="/tasks/${id}/unassign"`);
    const bad = await post(app, `/tasks/${id}/assign`, { session: "nobody" }, htmx(`/tasks/${id}`));
    expect(bad.status).toBe(409);
    expect(await bad.text()).toContain("no session matches");
    const un = await post(app, `/tasks/${id}/unassign`, {}, htmx(`/tasks/${id}`));
    expect(un.status).toBe(200);
    expect(s().getTask(id)).toMatchObject({ ok: true, value: { owner: null } });
    expect(await (await get(app, `/tasks/${id}`)).text()).not.toContain(`action="/tasks/${id}/unassign"`);
    // Unassigning again: the message area says why not.
    const again = await post(app, `/tasks/${id}/unassign`, {}, htmx(`/tasks/${id}`));
    expect(again.status).toBe(409);
    expect(again.headers.get("hx-retarget")).toBe("#flash");
    expect(await again.text()).toContain("has no owner");
  });

  it("dependencies (a cycle refused), notes and edits from the task page", async () => {
    const { todo, blocked } = w.tasks;
    const cycle = await post(
      app,
      `/tasks/${todo.id}/dependencies`,
      { dependsOn: blocked.handle },
      htmx(`/tasks/${todo.id}`),
    );
    expect(cycle.status).toBe(409);
    expect(await cycle.text()).toContain("cycle");
    // An empty field is the form's own mistake: 422, said at the field, not a 409 about task ''.
    const noDep = await post(
      app,
      `/tasks/${todo.id}/dependencies`,
      { dependsOn: "  " },
      htmx(`/tasks/${todo.id}`),
    );
    expect(noDep.status).toBe(422);
    const html = await noDep.text();
    expect(html).toContain("must not be empty");
    expect(html).not.toContain("no task matches");
    const rm = await post(app, `/tasks/${blocked.id}/dependencies/${todo.id}/remove`, {});
    expect(rm.status).toBe(303);
    expect(s().getTask(blocked.id)).toMatchObject({ ok: true, value: { dependsOn: [] } });
    const note = await post(app, `/tasks/${todo.id}/updates`, { kind: "blocker", text: "waiting on review" });
    expect(note.status).toBe(303);
    expect(s().listUpdates({ task: todo.id })).toMatchObject({
      ok: true,
      value: [{ kind: "blocker", text: "waiting on review" }],
    });
    await post(app, `/tasks/${todo.id}/updates`, { kind: "note", text: "plain remark" });
    const timeline = await (await get(app, `/tasks/${todo.id}`)).text();
    expect(timeline).toContain("posted a blocker note:");
    expect(timeline).toContain("posted a note:");
    expect(timeline).not.toContain("note note");
    const empty = await post(
      app,
      `/tasks/${todo.id}/updates`,
      { kind: "note", text: "  " },
      htmx(`/tasks/${todo.id}`),
    );
    expect(empty.status).toBe(422);
    expect(await empty.text()).toMatch(/id="post-note-text"[^>]*aria-invalid="true"/);
    const edit = await post(app, `/tasks/${todo.id}/edit`, {
      title: "Write the migration v2",
      description: "",
      priority: "low",
    });
    expect(edit.status).toBe(303);
    expect(s().getTask(todo.id)).toMatchObject({
      ok: true,
      value: { title: "Write the migration v2", priority: "low" },
    });
    // The form shows what it was opened with; an agent changes the description and priority
    // meanwhile; saving a new title must not write the old two back over theirs.
    const page = await (await get(app, `/tasks/${todo.id}`)).text();
    expect(page).toMatch(/name="was_description" value=""/);
    const agentEdit = s().updateTask(w.laptop.human, todo.id, {
      description: "written by an agent",
      priority: "urgent",
    });
    expect(agentEdit.ok).toBe(true);
    const stale = await post(app, `/tasks/${todo.id}/edit`, {
      title: "Write the migration v3",
      description: "",
      priority: "low",
      was_title: "Write the migration v2",
      was_description: "",
      was_priority: "low",
    });
    expect(stale.status).toBe(303);
    expect(s().getTask(todo.id)).toMatchObject({
      ok: true,
      value: { title: "Write the migration v3", description: "written by an agent", priority: "urgent" },
    });
  });

  it("edits a task's labels and moves it to another project; a label someone added meanwhile stays", async () => {
    const { todo } = w.tasks;
    const h = { kind: "human" as const, id: "ana" };
    must(s().updateTask(h, todo.id, { addLabels: ["db", "perf"] }));
    const other = must(s().createProject(h, { name: "Other work" }));
    const archived = must(s().createProject(h, { name: "Old stuff" }));
    must(s().archiveProject(h, archived.id));
    const page = await (await get(app, `/tasks/${todo.id}`)).text();
    expect(page).toMatch(/name="was_labels" value="db perf"/);
    expect(page).toContain(`<option value="${other.id}"`);
    expect(page).not.toContain(`<option value="${archived.id}"`);
    // An agent adds a label after the form was opened.
    must(s().updateTask(h, todo.id, { addLabels: ["urgent-fix"] }));
    const saved = await post(app, `/tasks/${todo.id}/edit`, {
      title: todo.title ?? "",
      description: todo.description,
      priority: todo.priority,
      labels: "perf, ui",
      projectId: other.id,
      was_title: todo.title ?? "",
      was_description: todo.description,
      was_priority: todo.priority,
      was_labels: "db perf",
      was_projectId: w.project.id,
    });
    expect(saved.status).toBe(303);
    const t = must(s().getTask(todo.id));
    expect([...t.labels].sort()).toEqual(["perf", "ui", "urgent-fix"]);
    expect(t.projectId).toBe(other.id);
    // A label the service refuses is an error at the Labels field; nothing changes.
    const bad = await post(
      app,
      `/tasks/${todo.id}/edit`,
      { labels: "perf ui urgent-fix bad!label", was_labels: "perf ui urgent-fix" },
      htmx(`/tasks/${todo.id}`),
    );
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="edit-task-labels"[^>]*aria-invalid="true"/);
    expect([...must(s().getTask(todo.id)).labels].sort()).toEqual(["perf", "ui", "urgent-fix"]);
  });

  it("sends a message to a group: deliveries for the sessions it reaches; an empty body is refused", async () => {
    const r = await post(
      app,
      "/messages",
      { to: "group:backend", body: "deploy at noon" },
      htmx("/messages"),
    );
    expect(r.status).toBe(200);
    const body = await r.text();
    expect(body).toContain("it reaches 1 session now, 1 inbox on this machine (others as they sync).");
    expect(body).not.toContain("Note:");
    expect(body).toContain("deploy at noon");
    // The fresh form keeps the target.
    expect(body).toMatch(/<option value="group:backend" selected="">/);
    const sent = s()
      .listMessages(10)
      .find((m) => m.body === "deploy at noon")!;
    expect(sent.deliveries.map((d) => d.session)).toEqual([w.sessions.working]);
    const empty = await post(app, "/messages", { to: "all", body: "" }, htmx("/messages"));
    expect(empty.status).toBe(422);
    expect(await empty.text()).toMatch(/id="compose-body"[^>]*aria-invalid="true"/);
    const nowhere = await post(app, "/messages", { to: "group:nope", body: "hi" }, htmx("/messages"));
    expect(nowhere.status).toBe(409);
    expect(await nowhere.text()).toContain("no group matches");
    // A group nobody is in: sent, and the sender is told nobody reads it.
    must(s().createGroup({ kind: "human", id: "ana" }, { name: "empty-room" }));
    const unheard = await post(
      app,
      "/messages",
      { to: "group:empty-room", body: "anyone?" },
      htmx("/messages"),
    );
    expect(unheard.status).toBe(200);
    expect(await unheard.text()).toContain(
      "it reaches 0 sessions now, 0 inboxes on this machine (others as they sync). Note: no running session is reached now",
    );
  });

  it("a message body's text-direction characters are shown, not obeyed, and a long body is folded", async () => {
    const h = { kind: "human" as const, id: "ana" };
    const to = `session:${sessionKey(w.sessions.working)}`;
    const spoof = s().sendMessage(h, { to, body: "open invoice_\u202etxt.exe\u202c please" });
    expect(spoof.ok).toBe(true);
    const long = `${"word ".repeat(400)}END-OF-BODY`;
    expect(s().sendMessage(h, { to, body: long }).ok).toBe(true);
    const html = await (await get(app, "/messages")).text();
    expect(html).not.toContain("\u202e");
    expect(html).toContain('invoice_<span class="ctl"');
    expect(html).toContain(">U+202E</span>txt.exe");
    // The first 800 characters, then the rest behind "show the rest".
    const folded = /<summary>show the rest \(([\d,]+) more characters\)<\/summary>([^<]*)<\/details>/.exec(
      html,
    );
    expect(folded?.[1]).toBe((long.length - 800).toLocaleString("en-US"));
    expect(folded?.[2]).toContain("END-OF-BODY");
    const session = await (
      await get(app, `/sessions/${encodeURIComponent(sessionKey(w.sessions.working))}`)
    ).text();
    expect(session).not.toContain("\u202e");
    expect(session).toContain(">U+202E</span>");
  });

  it("a project's board shows the notes about the project itself, not its tasks' notes", async () => {
    const h = { kind: "human" as const, id: "ana" };
    const board = async () => (await get(app, `/projects/${w.project.id}`)).text();
    expect(await board()).not.toContain("Project notes");
    must(s().postUpdate(h, { projectId: w.project.id, text: "release cut for friday", kind: "progress" }));
    must(s().postUpdate(h, { taskId: w.tasks.todo.id, text: "a note on one task", kind: "progress" }));
    const html = await board();
    const start = html.indexOf('<div id="project-notes" class="live');
    const notes = html.slice(start, html.indexOf('class="live', html.indexOf(">", start)));
    expect(notes).toContain("Project notes");
    expect(notes).toContain("release cut for friday");
    expect(notes).not.toContain("a note on one task"); // that one is on its card
    expect(notes).toContain(`claire updates -p ${w.project.handle}`);
    // The fleet page lists the newest notes of every kind, each with what it is about.
    const fleet = await (await get(app, "/")).text();
    const i = fleet.indexOf('<div id="recent-notes" class="live');
    const recent = fleet.slice(i, fleet.indexOf("</section>", i));
    expect(recent).toContain("a note on one task");
    expect(recent).toContain("release cut for friday");
    expect(recent.indexOf("a note on one task")).toBeLessThan(recent.indexOf("release cut for friday"));
    expect(recent).toContain(`href="/tasks/${w.tasks.todo.id}"`);
    expect(recent).toContain(`href="/projects/${w.project.id}"`);
  });

  it("creates a group and edits its rules and members", async () => {
    const bad = await post(app, "/groups", { name: "Not Valid", rules: "" }, htmx("/groups"));
    expect(bad.status).toBe(422);
    expect(await bad.text()).toMatch(/id="new-group-name"[^>]*aria-invalid="true"/);
    const r = await post(app, "/groups", {
      name: "web",
      description: "frontend",
      rules: "cwd:/work/web/**\nmachine:laptop",
    });
    expect(r.status).toBe(303);
    expect(s().getGroup("web")).toMatchObject({
      ok: true,
      value: { rules: ["cwd:/work/web/**", "machine:laptop"] },
    });
    const id = (s().getGroup("web") as { ok: true; value: { id: string } }).value.id;
    const badRule = await post(
      app,
      `/groups/${id}/rules`,
      { kind: "planet", value: "mars" },
      htmx(`/groups/${id}`),
    );
    expect(badRule.status).toBe(422);
    expect(await badRule.text()).toMatch(/id="add-rule-value"[^>]*aria-invalid="true"/);
    await post(app, `/groups/${id}/rules`, { kind: "project", value: w.project.id });
    // Typed with its kind, as the CLI writes it: not "cwd:cwd:..."; again: said to be there already.
    const typed = await post(
      app,
      `/groups/${id}/rules`,
      { kind: "cwd", value: "cwd:/work/web/**" },
      htmx(`/groups/${id}`),
    );
    expect(await typed.text()).toContain("cwd:/work/web/** was a rule already.");
    await post(app, `/groups/${id}/rules/remove`, { rule: "machine:laptop" });
    await post(app, `/groups/${id}/members`, { session: sessionKey(w.sessions.remote) });
    await post(app, `/groups/${id}/description`, { description: "all web work" });
    expect(s().getGroup(id)).toMatchObject({
      ok: true,
      value: {
        description: "all web work",
        rules: [`cwd:/work/web/**`, `project:${w.project.id}`].sort(),
        members: [w.sessions.remote],
      },
    });
    await post(app, `/groups/${id}/members/remove`, { session: sessionKey(w.sessions.remote) });
    expect(s().getGroup(id)).toMatchObject({ ok: true, value: { members: [] } });
  });

  it("archives and unarchives a project from the list", async () => {
    const r = await post(app, `/projects/${w.project.id}/archive`, {}, htmx("/projects"));
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('id="projects-list"');
    expect(s().getProject(w.project.id)).toMatchObject({ ok: true, value: { archived: true } });
    await post(app, `/projects/${w.project.id}/unarchive`, {});
    expect(s().getProject(w.project.id)).toMatchObject({ ok: true, value: { archived: false } });
  });

  it("'Sync now' says when this process does not sync", async () => {
    const r = await post(app, "/sync/run", {}, htmx("/sync"));
    expect(r.status).toBe(409);
    expect(await r.text()).toContain("sync does not run in this process");
  });

  it("a form's answer never becomes a page of another origin's making: unknown posts are 404", async () => {
    expect((await post(app, "/nowhere", { a: "b" })).status).toBe(404);
    expect((await get(app, "/projects")).status).toBe(200);
  });
});
