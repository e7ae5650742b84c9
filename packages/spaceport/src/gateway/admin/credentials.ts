/**
 * Kong's basic-auth and acl credential endpoints of a consumer: `/consumers/{c}/basic-auth[/{id or username}]`
 * and `/consumers/{c}/acls[/{id or group}]` (GET, POST, DELETE). Here they are the consumer's `basic` and
 * `groups` fields, which these endpoints edit; before, Kong's calls for them answered 404.
 */
import { stableId, type ConsumerEntity, type GatewayEntities } from '../entities.js';
import { AdminError, uniqueViolation } from './errors.js';
import { reqString } from './fields.js';
import { basicPasswordHash } from './password-hash.js';

type Body = Record<string, unknown>;

export interface CredentialCall {
  method: string;
  consumer: ConsumerEntity;
  id: string | undefined;
  body: Body;
  entities: GatewayEntities;
  list(data: unknown[]): unknown;
  /** Applies the consumer as changed. */
  save(next: ConsumerEntity): void;
}

export function basicAuth({ method, consumer: c, id, body, entities, list, save }: CredentialCall): unknown {
  const cred = (b: { username: string; password: string }) => ({
    id: stableId('basic-auth', `${c.id}:${b.username}`),
    username: b.username,
    password_sha256: basicPasswordHash(c.username, b.username, b.password),
    consumer: { id: c.id },
  });
  const find = () => c.basic.find((b) => b.username === id || cred(b).id === id);
  if (method === 'GET' && !id) return list(c.basic.map(cred));
  if (method === 'POST' && !id) {
    const username = reqString(body, 'username');
    const password = reqString(body, 'password');
    const holder = entities.consumers.find((x) => x.basic.some((b) => b.username === username));
    if (holder) throw uniqueViolation('username', username, `consumer ${holder.username} has a basic-auth credential with that username: pick another username`);
    const b = { username, password };
    save({ ...c, basic: [...c.basic, b] });
    return cred(b);
  }
  if (method === 'GET' && id) {
    const b = find();
    if (!b) throw new AdminError(404, `consumer ${c.username} has no basic-auth credential "${id}"`);
    return cred(b);
  }
  if (method === 'DELETE' && id) {
    const b = find();
    if (b) save({ ...c, basic: c.basic.filter((x) => x !== b) });
    return undefined;
  }
  throw new AdminError(405, `${method} is not allowed on basic-auth credentials: use GET, POST or DELETE`);
}

export function acls({ method, consumer: c, id, body, list, save }: CredentialCall): unknown {
  const acl = (group: string) => ({ id: stableId('acl', `${c.id}:${group}`), group, consumer: { id: c.id } });
  const find = () => c.groups.find((g) => g === id || acl(g).id === id);
  if (method === 'GET' && !id) return list(c.groups.map(acl));
  if (method === 'POST' && !id) {
    const group = reqString(body, 'group');
    if (c.groups.includes(group)) throw uniqueViolation('group', group, `consumer ${c.username} is in group ${group} already`);
    save({ ...c, groups: [...c.groups, group] });
    return acl(group);
  }
  if (method === 'GET' && id) {
    const g = find();
    if (g === undefined) throw new AdminError(404, `consumer ${c.username} is in no group "${id}"`);
    return acl(g);
  }
  if (method === 'DELETE' && id) {
    const g = find();
    if (g !== undefined) save({ ...c, groups: c.groups.filter((x) => x !== g) });
    return undefined;
  }
  throw new AdminError(405, `${method} is not allowed on acls: use GET, POST or DELETE`);
}
