// zod configured as Claire's bundles configure it when they first load it
// (src/domain/zod-on-first-use.cjs): Claire's refusal messages.
import { z } from "zod";
import { configureZod } from "../../src/domain/zod-config.ts";

configureZod(z);
