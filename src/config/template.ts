// The claire.toml that `claire init` writes: identity filled in, every other setting shown commented.
import { stringify } from "smol-toml";
import { DEFAULTS } from "./schema.ts";

export type NewConfigValues = { readonly machineId: string; readonly machineName: string };

// The commented defaults double as documentation: uncommenting a line is the usual way to change
// a setting, and the loader refuses typos, so a wrong edit is caught on the next command.
export const renderNewConfig = (v: NewConfigValues): string =>
  `# Claire configuration (https://toml.io). Unknown keys are refused, so typos cannot hide.
# machine_id identifies this machine in every event it writes: never change or copy it.

${stringify({ machine_id: v.machineId, machine_name: v.machineName, groups: [] }).trimEnd()}

# [server]
# host = "${DEFAULTS.host}"           # off loopback, a token is required (see docs)
# port = ${DEFAULTS.port}
# allowed_hosts = []           # extra Host header names, e.g. ["claire.lan"]

# [auth]
# require = "off-loopback"     # or "always" (behind a reverse proxy)

# [sync]
# interval_seconds = ${DEFAULTS.intervalSeconds}

# [sessions]
# sources = ["claude"]         # add "command" and set command = "..." for an external lister
# share_titles = true          # false keeps session titles and first prompts on this machine

# [[peers]]                    # \`claire peer add\` writes these
# url = "http://other-machine:${DEFAULTS.port}"
# token = "..."
`;
