/**
 * The reconciler's nouns, after Terraform's: a provider reads what runs and applies one change; a plan is a
 * list of changes with a closed set of actions. The reconciler knows no subsystem by name: everything it
 * needs from one comes through `Provider`.
 */

/** The closed set of actions. `noop` changes are kept in a plan (they refresh state) but never shown. */
export type Action = 'create' | 'update' | 'replace' | 'delete' | 'move' | 'noop';

export const ACTIONS: readonly Action[] = ['create', 'update', 'replace', 'delete', 'move', 'noop'];

/** What a provider's diff says about one resource; the reconciler adds address, id and drift. */
export interface ChangeSpec<D = unknown, A = unknown> {
  action: Exclude<Action, 'move' | 'noop'> | 'noop';
  /** Live value (undefined when creating). */
  before?: A;
  /** Desired value (undefined when deleting). */
  after?: D;
  /** Why a replace is needed, shown in the plan ("root changed"). */
  reason?: string;
  /** Set when applying this change loses data (a database, a topic's records): refused without --allow-destroy. */
  destroysData?: string;
  /** Addresses whose failure makes this change pointless (a route to an app whose create failed). */
  requires?: string[];
  /**
   * On a create: creating it makes everything under it as the file says (an app's config vars and formation come
   * up with it), so a targeted plan that takes it as a dependency takes the creates under it too.
   */
  whole?: boolean;
}

/** One planned change to one resource. */
export interface Change<D = unknown, A = unknown> extends Omit<ChangeSpec<D, A>, 'action'> {
  action: Action;
  /** Resource address such as `apps.edm-stats.formation.web` (the new address, for a move). */
  address: string;
  /** Old address of a move. */
  from?: string;
  kind: string;
  /** Stable id: survives renames (`moved:`), kept in state.resources. */
  id: string;
  /** The live value differs from what state recorded (a change made outside Spaceport). */
  drift: boolean;
  /** Delete without removing stored data (destroy without --include-data). */
  keepData?: boolean;
  /**
   * On a noop: the resource runs as the file says but state has no record of it (`spaceport state rm`, or
   * `spaceport import`): apply records it, as a Terraform import. Shown by plan, counted as a change.
   */
  imported?: boolean;
  /** On a replace: asked for with `--replace` (Terraform's `-replace`), not made necessary by a difference. */
  requested?: boolean;
}

/** A place in spaceport.yaml to write during `plan --adopt`: `value: undefined` removes the key. */
export interface YamlEdit {
  path: (string | number)[];
  value: unknown;
}

/** Dependency order of apply: lower first for create/update, higher first for delete. */
export const ORDER = { addon: 0, topic: 10, app: 20, config: 30, formation: 40, service: 50, consumer: 55, route: 60, plugin: 70 } as const;

/**
 * A subsystem as the reconciler sees it. `read` keys live resources by their current address (the names the
 * subsystem knows them by); `desired` keys the config's resources by address. Both must use the same
 * value shape so that `diff(want, have)` and drift (recorded vs. live) compare like with like.
 */
export interface Provider<Desired = unknown, Actual = Desired, Ctx = unknown> {
  /** "formation", "route", "topic", ... Also the `kind` recorded in state. */
  readonly kind: string;
  /** Position in dependency order (see ORDER). */
  readonly order: number;
  /** Whether live resources that are neither in the config nor in state are deleted (true: the file is the truth for this kind) or left alone (auto-created topics). */
  readonly ownsUnrecorded: boolean;
  /** The config's resources of this kind, by address. */
  desired(ctx: Ctx): Map<string, Desired>;
  /** What runs now, by address. */
  read(): Promise<Map<string, Actual>>;
  /** The changes that turn `have` into `want` (an empty list: nothing to do). */
  diff(want: Desired | undefined, have: Actual | undefined): ChangeSpec<Desired, Actual>[];
  /** Executes one change; may return the value now live, which state records (else `after` is recorded). */
  apply(change: Change<Desired, Actual>): Promise<Actual | void>;
  /** Whether two values of this kind are the same (default: canonical JSON equality). */
  equal?(a: Actual, b: Actual): boolean;
  /** Whether a rename can keep the live resource (default true); if not, `moved:` plans a replace. */
  readonly canMove?: boolean;
  /**
   * Edits to spaceport.yaml that make the file say what runs (`plan --adopt`): `live` undefined means it was
   * deleted, `want` undefined that the file does not have it. Minimal edits keep the file's layout.
   */
  adopt?(address: string, live: Actual | undefined, want: Desired | undefined): YamlEdit[];
  /** A warning the plan shows for a move of this kind (a rename with conditions), or undefined. */
  moveNote?(from: string, to: string): string | undefined;
  /** Sensitive attribute paths beyond the name-based rule (values masked in plan output). */
  sensitive?(path: string[]): boolean;
  /**
   * Addresses a resource of this value needs to exist (an app's add-ons, a service's app): a destroy's deletes
   * require them, so `destroy --target` takes what depends on a target along, as Terraform orders a destroy.
   */
  references?(value: Actual): string[];
  /**
   * The forced re-creation of a resource that runs as the file says (`--replace ADDRESS`): its `destroysData`
   * says what is lost. Kinds without it cannot be replaced (the plan says so).
   */
  replace?(want: Desired, have: Actual): ChangeSpec<Desired, Actual>;
}

/** Providers of any value types go into one list (methods are bivariant); the reconciler handles values as unknown. */
export type AnyProvider<Ctx = unknown> = Provider<unknown, unknown, Ctx>;
