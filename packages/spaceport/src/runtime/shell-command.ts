/**
 * A Procfile command as `sh -c` runs it. A simple command is prefixed with `exec` (as bash does on Heroku)
 * so the dyno's process is the app itself: it gets SIGTERM directly and its own exit status is reported.
 */
const COMPOUND = /[;&|()`\n]|^\s*\w+=|^\s*(if|for|while|until|case|cd|export|set|ulimit|source|\.|exec|\{)\b/;

export function shellCommand(command: string): string {
  return COMPOUND.test(command) ? command : `exec ${command}`;
}
