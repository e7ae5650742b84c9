/**
 * The broker process's exit codes before it listens, so its supervisor can tell a refusal that no restart will
 * cure (and say what to do) from a crash: any other code is a crash.
 */
export const BROKER_EXIT = {
  /** Bad arguments, config or data directory: the message on stderr says which. */
  refused: 2,
  /** The Kafka port is taken by another program (EADDRINUSE). */
  portInUse: 3,
  /** The Kafka port may not be bound by this user (EACCES: below 1024 without privileges). */
  portDenied: 4,
} as const;
