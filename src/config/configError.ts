/** A configuration problem; the message names the key and the expected form. */
export class ConfigError extends Error {}
