// Lists the members of a Resource Directory: the whole directory with ListAccounts (100 a page), or the given folders
// and every folder below them with ListAccountsForParent and ListFoldersForParent, at most four requests at a time.
// Meanwhile GetCallerIdentity names the account whose credentials list it, and GetResourceDirectory the directory's
// management account (not the caller when a delegated administrator lists). Every request is retried by the action's
// policy (retry.ts), throttling included, each retry logged and counted.

import { setTimeout as delay } from 'node:timers/promises';
import type { Credentials, Identity } from '../credentials.js';
import { ActionError } from '../errors.js';
import type { Timeouts } from '../http.js';
import {
  getResourceDirectory,
  listAccounts,
  listAccountsForParent,
  listFoldersForParent,
  MANAGEMENT_ACCOUNT_HINT,
  type Member,
  NOT_AN_ADMINISTRATOR_CODES,
  PAGE_SIZE,
  type Page,
  type ResourceDirectory,
} from '../resource-manager.js';
import { describeRetry, type RetryEvent, type RetryPolicy, withRetry } from '../retry.js';
import { getCallerIdentity } from '../sts.js';
import type { ListConfig } from './config.js';

export interface Listing {
  readonly caller: Identity;
  /** The directory listed, and its management account. */
  readonly directory: ResourceDirectory;
  /** Every member found, once each, in the order the directory gave them. */
  readonly members: readonly Member[];
  /** The name of each folder walked below the given ones (folder mode only). */
  readonly folderNames: ReadonlyMap<string, string>;
  /** Requests sent to ResourceManager and STS (GetCallerIdentity), retries included. */
  readonly requests: number;
}

export interface ListContext {
  readonly timeouts: Timeouts;
  readonly retry: RetryPolicy;
  readonly log: (message: string) => void;
  /** How long a refusal waits for the caller's identity and the directory (CALLER_WAIT_MS unless given). */
  readonly callerWaitMs?: number;
}

/**
 * A refusal to list waits at most this long for GetCallerIdentity and GetResourceDirectory, which only add who was
 * refused: throttled, their retries would run to the throttling deadline (120 s, retry.ts) and hold the refusal that
 * long. A few seconds cover an answer and a retry or two.
 */
const CALLER_WAIT_MS = 5_000;

/** A directory larger than this many pages of one list is refused rather than listed at any cost. */
const MAX_PAGES = 50;
/** ResourceManager requests in flight at once: enough to overlap round trips, few enough to stay clear of flow control. */
const AT_ONCE = 4;

export async function listMembers(config: ListConfig, credentials: Credentials, ctx: ListContext): Promise<Listing> {
  let requests = 0;
  const rm = { endpoint: config.endpoint, ...ctx.timeouts };
  // Stops every retry's wait once the listing has failed, so that nothing keeps the step running after it.
  const stop = new AbortController();
  const hooks = (what: string) => ({
    onRetry: (event: RetryEvent) => ctx.log(describeRetry(what, event)),
    sleep: (ms: number) => delay(ms, undefined, { signal: stop.signal }),
  });
  const counted =
    <T>(attempt: () => Promise<T>) =>
    () => {
      requests++;
      return attempt();
    };
  // Every ResourceManager request takes one of AT_ONCE slots for as long as it and its retries last, however many
  // folders and pages are being listed.
  const slot = limiter(AT_ONCE);
  const retried = <T>(what: string, attempt: () => Promise<T>) => slot(() => withRetry(ctx.retry, counted(attempt), hooks(what)));
  /** Every page of one list: the first says how many there are. */
  const allPages = async <T>(what: string, fetch: (page: number) => Promise<Page<T>>): Promise<T[]> => {
    const first = await retried(what, () => fetch(1));
    const pages = Math.ceil(first.totalCount / PAGE_SIZE);
    if (pages > MAX_PAGES) {
      throw new ActionError(
        'input',
        `${what} answered that it has ${first.totalCount} entries, more than ${MAX_PAGES * PAGE_SIZE} (${MAX_PAGES} pages).`,
        'Narrow the listing with `folders`.',
      );
    }
    const rest = Array.from({ length: Math.max(0, pages - 1) }, (_, i) => retried(`${what} page ${i + 2}`, () => fetch(i + 2)));
    return [first, ...(await Promise.all(rest))].flatMap((page) => page.items);
  };

  const sts = { endpoint: config.stsEndpoint, ...ctx.timeouts };
  const callerPromise = withRetry(
    ctx.retry,
    counted(() => getCallerIdentity(sts, credentials)),
    hooks('GetCallerIdentity'),
  );
  const directoryPromise = retried('GetResourceDirectory', () => getResourceDirectory(rm, credentials));
  // Awaited below; a failure of the listing is reported first, with the caller's identity if it is known by then.
  callerPromise.catch(() => {});
  directoryPromise.catch(() => {});
  const folderNames = new Map<string, string>();
  let found: Member[];
  try {
    if (config.folders.length === 0) {
      found = await allPages('ListAccounts', (page) => listAccounts(rm, credentials, page));
    } else {
      found = [];
      const seen = new Set<string>();
      let level = [...config.folders];
      while (level.length > 0) {
        const next: string[] = [];
        const todo = level.filter((id) => !seen.has(id));
        for (const id of todo) seen.add(id);
        const listed = await Promise.all(
          todo.map(async (id) => {
            const [members, folders] = await Promise.all([
              allPages(`ListAccountsForParent ${id}`, (page) => listAccountsForParent(rm, credentials, id, page)),
              allPages(`ListFoldersForParent ${id}`, (page) => listFoldersForParent(rm, credentials, id, page)),
            ]);
            return { members, folders };
          }),
        );
        for (const { members, folders } of listed) {
          found.push(...members);
          for (const folder of folders) {
            folderNames.set(folder.folderId, folder.name);
            next.push(folder.folderId);
          }
        }
        level = next;
      }
    }
  } catch (error) {
    const reported = await withCaller(error, callerPromise, directoryPromise, ctx.callerWaitMs ?? CALLER_WAIT_MS);
    stop.abort();
    throw reported;
  }
  const [caller, directory] = await Promise.all([callerPromise, directoryPromise]);
  const byId = new Map<string, Member>();
  for (const member of found) if (!byId.has(member.accountId)) byId.set(member.accountId, member);
  return { caller, directory, members: [...byId.values()], folderNames, requests };
}

/**
 * A refusal to list: say whose credentials were refused and what their directory is, as far as GetCallerIdentity and
 * GetResourceDirectory tell within `waitMs`, and what to use instead.
 */
async function withCaller(error: unknown, caller: Promise<Identity>, directory: Promise<ResourceDirectory>, waitMs: number): Promise<unknown> {
  if (!(error instanceof ActionError) || !NOT_AN_ADMINISTRATOR_CODES.includes(error.details.code ?? '')) return error;
  // An unreferenced timer: it never keeps the step running by itself.
  const timeout = delay(waitMs, undefined, { ref: false });
  const within = <T>(promise: Promise<T>) => Promise.race([promise.catch(() => undefined), timeout.then(() => undefined)]);
  const [identity, member] = await Promise.all([within(caller), within(directory)]);
  const where = member
    ? `is a member of Resource Directory ${member.resourceDirectoryId}, but neither its management account (${member.managementAccountId}) nor one of its delegated administrators.`
    : 'is neither the management account of a Resource Directory nor one of its delegated administrators.';
  const who = identity
    ? `\nThe credentials in the environment are ${identity.arn}: account ${identity.accountId} ${where}`
    : member
      ? `\nThe account of the credentials in the environment (GetCallerIdentity did not say which) ${where}`
      : '';
  return new ActionError(error.kind, `${error.message}${who}`, MANAGEMENT_ACCOUNT_HINT, error.details);
}

/** Runs at most `n` of the tasks given to it at once; the others start in the order they came, as slots free up. */
export function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A freed slot passes straight to the next waiting task, so a task arriving meanwhile cannot take it too.
    if (running < n) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
