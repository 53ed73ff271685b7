import { CommandUsageError } from "../model/command-voice";

/** A mistake in how `m2m` was called: shown as one line, exit status 2 (model/command-voice). */
export class UsageError extends CommandUsageError {}
