/** The config file every command reads unless told otherwise (its own module: the CLI's help names it without loading the validator). */
export const DEFAULT_CONFIG_FILE = "m2m.config.ts";
