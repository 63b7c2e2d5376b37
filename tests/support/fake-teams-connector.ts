import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector REST API (v3). */
export interface ConnectorCall {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** The activity replied to (POST …/activities/:id) or updated (PUT …/activities/:id). */
  activityId?: string;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: an activity as the bot sent it, asserted field by field in tests.
  body: any;
  /** Id this fake gave the activity. */
  assignedId: string;
}

/** A member as GET /v3/conversations/{id}/members/{userId} returns them (TeamsChannelAccount). */
export interface FakeTeamsMember {
  name?: string;
  email?: string;
  userPrincipalName?: string;
  aadObjectId?: string;
}

export interface FakeTeamsConnector {
  /** Pass as the activity's serviceUrl. */
  url: string;
  calls: ConnectorCall[];
  /** The member lookups received (GET …/members/{userId}), in order. */
  memberLookups: { conversationId: string; userId: string }[];
  /** Makes this user a member of every conversation, described as given. */
  setMember(userId: string, member: FakeTeamsMember): void;
  /** Calls whose activity type is `message` (replies, final stream messages). */
  messages(): ConnectorCall[];
  /** Resolves once `count` calls matching `predicate` were received, or rejects after `timeoutMs`. */
  waitFor(
    predicate: (call: ConnectorCall) => boolean,
    count?: number,
    timeoutMs?: number,
  ): Promise<ConnectorCall[]>;
  /** Answers the next `count` calls with a 500, as Bot Connector does when it fails (they are still recorded). */
  failNext(count: number): void;
  close(): Promise<void>;
}

const ACTIVITIES_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const MEMBER_PATH = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)\/?$/;

/**
 * A stand-in for the Bot Connector at `serviceUrl`: records what the bot sends to
 * POST /v3/conversations/:id/activities[/:replyToId] and PUT …/activities/:id, answers {id: "activity-N"};
 * answers GET /v3/conversations/:id/members/:userId with the member set by setMember, or Bot Connector's 404.
 * It listens on 127.0.0.1 unless `host` names another IPv4 address of this machine.
 */
export async function startFakeTeamsConnector(options: { host?: string } = {}): Promise<FakeTeamsConnector> {
  const host = options.host ?? '127.0.0.1';
  const calls: ConnectorCall[] = [];
  const members = new Map<string, FakeTeamsMember>();
  const memberLookups: FakeTeamsConnector['memberLookups'] = [];
  let failuresLeft = 0;
  const server = createServer((req, res) => {
    const member = req.method === 'GET' ? MEMBER_PATH.exec((req.url ?? '').split('?')[0] ?? '') : null;
    if (member) {
      const [conversationId, userId] = [member[1]!, member[2]!].map(decodeURIComponent) as [string, string];
      memberLookups.push({ conversationId, userId });
      const known = members.get(userId);
      res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          known
            ? { id: userId, ...known }
            : { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found.' } },
        ),
      );
      return;
    }
    const match = ACTIVITIES_PATH.exec((req.url ?? '').split('?')[0] ?? '');
    const method = req.method === 'POST' || req.method === 'PUT' ? req.method : undefined;
    if (!match || !method || (method === 'PUT' && !match[2])) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'NotFound' } }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const activityId = match[2] ? decodeURIComponent(match[2]) : undefined;
      const assignedId = method === 'PUT' && activityId ? activityId : `activity-${calls.length + 1}`;
      calls.push({
        method,
        conversationId: decodeURIComponent(match[1] ?? ''),
        activityId,
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        assignedId,
      });
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'Internal server error' } }));
        return;
      }
      res.writeHead(method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: assignedId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;

  async function waitFor(predicate: (call: ConnectorCall) => boolean, count = 1, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = calls.filter(predicate);
      if (matching.length >= count) return matching;
      if (Date.now() > deadline) {
        throw new Error(`fake connector: ${matching.length}/${count} matching calls after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  return {
    url: `http://${host}:${port}`,
    calls,
    memberLookups,
    setMember: (userId, described) => members.set(userId, described),
    messages: () => calls.filter((call) => call.body?.type === 'message'),
    waitFor,
    failNext(count) {
      failuresLeft = count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
