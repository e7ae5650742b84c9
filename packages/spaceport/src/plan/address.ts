/**
 * Resource addresses: dotted paths such as `apps.edm-stats.formation.web` or `gateway.services.api.routes.v1`.
 * A `moved:` entry renames an address and every address under it.
 */

/** Whether `address` is `prefix` itself or lies under it (`apps.x` covers `apps.x.config`, not `apps.xy`). */
export function isUnder(address: string, prefix: string): boolean {
  return address === prefix || address.startsWith(prefix + '.');
}

/** `address` with `from` replaced by `to` if it lies under `from`, else undefined. */
export function rebase(address: string, from: string, to: string): string | undefined {
  if (!isUnder(address, from)) return undefined;
  return to + address.slice(from.length);
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Checks an address written by a user (in `moved:`); returns what is wrong, or undefined. */
export function checkAddress(address: string): string | undefined {
  if (!address) return 'an address is empty';
  const top = address.split('.')[0];
  if (!['apps', 'addons', 'gateway'].includes(top!)) {
    return `"${address}" does not start with apps., addons. or gateway.`;
  }
  if (address.split('.').some((s) => !SEGMENT.test(s))) return `"${address}" has an empty or invalid segment`;
  return undefined;
}
