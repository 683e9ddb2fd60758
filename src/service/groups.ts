// Group operations: create (id derived from the name, so machines agree), edit rules and members,
// and publishing this machine's configured groups as machine rules.
import type { Actor } from "../domain/actor.ts";
import { conflict, notFound, type ServiceError } from "../domain/errors.ts";
import type { EventDraft } from "../domain/events.ts";
import {
  CreateGroupInputSchema,
  EditGroupInputSchema,
  type Group,
  groupIdFromName,
} from "../domain/group.ts";
import { shortHandle } from "../domain/ids.ts";
import { err, ok, type Result } from "../domain/result.ts";
import type { SessionRef } from "../domain/session-ref.ts";
import { parseInput, type ServiceDeps } from "./context.ts";
import { createReach } from "./reach.ts";
import type { Resolvers } from "./resolve.ts";

export const createGroupOps = ({ store, machine }: ServiceDeps, resolve: Resolvers) => {
  const { reachOf } = createReach({ store, machine });
  const view = (id: string): Result<Group, ServiceError> => {
    const g = store.q.groups.get(id);
    return g ? ok(reachOf([g])[0]!) : err(notFound("group", id));
  };
  const sessions = (inputs: readonly string[]): Result<SessionRef[], ServiceError> => {
    const out: SessionRef[] = [];
    for (const i of inputs) {
      const s = resolve.session(i);
      if (!s.ok) return s;
      out.push(s.value);
    }
    return ok(out);
  };
  /** What this machine's announcement would write now: nothing when its name and groups stand. */
  const announcement = (): EventDraft[] => {
    const drafts: EventDraft[] = [];
    const current = store.q.machines.get(machine.machineId);
    const groups = [...machine.groups].sort();
    if (current?.name !== machine.machineName || JSON.stringify(current.groups) !== JSON.stringify(groups)) {
      drafts.push({
        type: "machine.announced",
        entityId: machine.machineId,
        data: { name: machine.machineName, groups },
      });
    }
    const rule = `machine:${machine.machineId}`;
    for (const name of groups) {
      const id = groupIdFromName(name);
      const g = store.q.groups.get(id);
      if (!g?.createdAt)
        drafts.push({ type: "group.created", entityId: id, data: { name, description: "" } });
      if (!g?.rules.includes(rule)) drafts.push({ type: "group.rule_added", entityId: id, data: { rule } });
    }
    // Only what the configuration published is taken back: the groups it listed last time and no
    // longer does. A person may put this machine into other groups by its id too, and that stays.
    const dropped = new Set((current?.groups ?? []).filter((name) => !groups.includes(name)));
    if (dropped.size === 0) return drafts;
    for (const g of store.q.groups.list()) {
      if (g.rules.includes(rule) && dropped.has(g.name)) {
        drafts.push({ type: "group.rule_removed", entityId: g.id, data: { rule } });
      }
    }
    return drafts;
  };

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  /**
   * Rules as stored: `project:` names its project by id, as the matcher compares, so a handle or a
   * name (as everywhere else) is resolved here; a full id of a project not heard of yet is kept.
   * `machine:` matches a full id or a name, so only a handle is resolved.
   */
  const storedRules = (rules: readonly string[]): Result<string[], ServiceError> => {
    const out: string[] = [];
    for (const rule of rules) {
      const kind = rule.slice(0, rule.indexOf(":"));
      const value = rule.slice(kind.length + 1);
      if ((kind !== "project" && kind !== "machine") || UUID.test(value)) {
        out.push(rule);
        continue;
      }
      if (kind === "project") {
        const p = resolve.project(value);
        if (!p.ok) return p;
        out.push(`project:${p.value}`);
        continue;
      }
      // A machine's name stays a name (the rule follows what the machine calls itself, as
      // designed), and so does one not heard of yet (it may join later under it); a handle of a
      // known machine becomes the full id the matcher compares.
      const m = store.q.machines.idsByName(value).length > 0 ? null : resolve.machine(value);
      out.push(m?.ok ? `machine:${m.value}` : rule);
    }
    return ok(out);
  };

  return {
    createGroup: (actor: Actor, input: unknown): Result<Group, ServiceError> => {
      const parsed = parseInput(CreateGroupInputSchema, input, "group");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const { name, description, members } = parsed.value;
        const stored = storedRules(parsed.value.rules);
        if (!stored.ok) return stored;
        const rules = stored.value;
        const id = groupIdFromName(name);
        if (store.q.groups.get(id)?.createdAt) return err(conflict(`a group named '${name}' already exists`));
        const refs = sessions(members);
        if (!refs.ok) return refs;
        const drafts: EventDraft[] = [{ type: "group.created", entityId: id, data: { name, description } }];
        for (const rule of new Set(rules))
          drafts.push({ type: "group.rule_added", entityId: id, data: { rule } });
        for (const session of refs.value)
          drafts.push({ type: "group.member_added", entityId: id, data: { session } });
        store.log.append(actor, drafts);
        return view(id);
      });
    },

    editGroup: (actor: Actor, groupInput: string, input: unknown): Result<Group, ServiceError> => {
      const parsed = parseInput(EditGroupInputSchema, input, "group change");
      if (!parsed.ok) return parsed;
      return store.write(() => {
        const id = resolve.group(groupInput);
        if (!id.ok) return id;
        const { description, removeRules, addMembers, removeMembers } = parsed.value;
        const storedAdds = storedRules(parsed.value.addRules ?? []);
        if (!storedAdds.ok) return storedAdds;
        const addRules = storedAdds.value;
        const added = sessions(addMembers ?? []);
        if (!added.ok) return added;
        const removed = sessions(removeMembers ?? []);
        if (!removed.ok) return removed;
        // Taking away what the group does not have is a mistake (a typo in a rule), not a no-op.
        const current = store.q.groups.get(id.value)!;
        const missingRule = (removeRules ?? []).find((r) => !current.rules.includes(r));
        if (missingRule !== undefined)
          return err(
            conflict(
              `group '${current.name}' has no rule '${missingRule}' (its rules: ${current.rules.join(", ") || "none"})`,
            ),
          );
        const missingMember = removed.value.find(
          (r) => !current.members.some((m) => m.machineId === r.machineId && m.sessionId === r.sessionId),
        );
        if (missingMember !== undefined)
          return err(
            conflict(
              `session ${shortHandle(missingMember.sessionId)} is not an explicit member of group '${current.name}'`,
            ),
          );
        const drafts: EventDraft[] = [];
        if (description !== undefined)
          drafts.push({ type: "group.updated", entityId: id.value, data: { description } });
        for (const rule of new Set(addRules))
          drafts.push({ type: "group.rule_added", entityId: id.value, data: { rule } });
        for (const rule of new Set(removeRules))
          drafts.push({ type: "group.rule_removed", entityId: id.value, data: { rule } });
        for (const session of added.value)
          drafts.push({ type: "group.member_added", entityId: id.value, data: { session } });
        for (const session of removed.value) {
          drafts.push({ type: "group.member_removed", entityId: id.value, data: { session } });
        }
        store.log.append(actor, drafts);
        return view(id.value);
      });
    },

    getGroup: (input: string): Result<Group, ServiceError> => {
      const id = resolve.group(input);
      return id.ok ? view(id.value) : id;
    },

    listGroups: (): Group[] => reachOf(store.q.groups.list()),

    /**
     * Announces this machine (name, groups) and makes each group listed in its claire.toml hold a
     * `machine:<id>` rule, removing that rule from groups no longer listed. Writes only what differs.
     */
    announceMachine: (actor: Actor): { changed: boolean } => {
      // Looked at before a write is opened: nearly always nothing differs, and a command that only
      // reads (on a read-only disk, say) must not need a write transaction for it.
      if (announcement().length === 0) return { changed: false };
      return store.write(() => {
        const drafts = announcement();
        store.log.append(actor, drafts);
        return { changed: drafts.length > 0 };
      });
    },
  };
};
