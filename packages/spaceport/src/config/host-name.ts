/**
 * A route's host as Kong takes it: a host name (`api.example.com`), `*` as a wildcard (`*.example.com`,
 * `example.*`), or an IP (`[::1]`), with an optional `:port`. A URL (`http://api.test`) or a path would be
 * accepted and then never match a request's Host header; one check, for the file and the admin API alike.
 */
export function hostProblem(host: string): string | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(host);
  if (url) return `"${host}" is a URL: write the host name alone, like ${url[1] || 'api.example.com'}`;
  if (host.includes('/')) return `"${host}" has a path: write the host name alone, like ${host.split('/')[0] || 'api.example.com'} (the path goes in paths:)`;
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9*_-]+(\.[a-z0-9*_-]+)*)(:\d{1,5})?$/i.test(host)) {
    return `"${host}" is not a host name: letters, digits, '-' and '.', * as a wildcard (*.example.com), and an optional :port`;
  }
  return undefined;
}
