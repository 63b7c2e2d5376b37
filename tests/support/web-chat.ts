import { parseSetCookie } from 'cookie';
import { expect } from 'vitest';
import type { WebReply } from '../../bot/channels/web-render.ts';
import { runAdmin } from '../../bot/cli/admin.ts';
import type { Repositories } from '../../bot/core/ports.ts';
import type { Choice } from '../../bot/core/types.ts';
import { PUBLIC_URL, type TestServer } from './test-server.ts';

/** A person in the web chat, driven through HTTP as a browser or a script would: sign-in link, cookie, /api/chat. */

export type ChatReply = WebReply & { person: { id: string; displayName: string } | null };

const COOKIE = '__Host-boussole-session';

/** Signs in with the link of `npm run admin -- invite <email>`: the session cookie a browser would keep. */
export async function signIn(server: TestServer<Repositories>, email: string): Promise<string> {
  let stdout = '';
  const code = await runAdmin(
    ['invite', email, '--json'],
    {
      repositories: async () => server.repositories,
      operator: 'test',
      timeZone: 'Europe/Paris',
      publicUrl: PUBLIC_URL,
    },
    { stdout: (text) => (stdout += text), stderr: () => {} },
  );
  expect(code).toBe(0);
  const link = new URL(JSON.parse(stdout).url);
  const response = await fetch(`${server.baseUrl}${link.pathname}${link.search}`, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const header = response.headers.getSetCookie().find((line) => line.startsWith(`${COOKIE}=`))!;
  return `${COOKIE}=${parseSetCookie(header).value}`;
}

/** A browser tab with its own conversation. */
export function chatTab(server: TestServer<Repositories>, cookie: string) {
  const conversationId = `conv-${Math.random().toString(36).slice(2)}`;
  const post = async (body: Record<string, unknown>) => {
    const response = await fetch(`${server.baseUrl}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ conversationId, userId: 'navigateur-1', ...body }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as ChatReply;
  };
  return {
    say: (text: string) => post({ text }),
    click: (choice: Pick<Choice, 'actionId' | 'value'>) =>
      post({ action: { id: choice.actionId, value: choice.value } }),
  };
}

export function choiceNamed(reply: ChatReply, label: string | RegExp): Choice {
  const choice = reply.choices.find((candidate) =>
    typeof label === 'string' ? candidate.label === label : label.test(candidate.label),
  );
  expect(choice, `button « ${label} » in ${JSON.stringify(reply.choices)}`).toBeDefined();
  return choice!;
}
