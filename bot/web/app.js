// The local web chat: no framework, no build step. Answers come from POST /api/chat as safe HTML.
const messages = document.getElementById('messages');
const form = document.getElementById('ask-form');
const input = document.getElementById('question');
const sendButton = document.getElementById('send');
const statusLine = document.getElementById('status');

// crypto.randomUUID only exists on https and localhost; a phone on the local network has neither.
const randomId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );

const storedId = (storage, key) => {
  let id = storage.getItem(key);
  if (!id) {
    id = randomId();
    storage.setItem(key, id);
  }
  return id;
};
const userId = storedId(localStorage, 'boussole.userId');
let conversationId = storedId(localStorage, 'boussole.conversationId');

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addMessage(author, content) {
  const item = element('li', `message message-${author}`);
  item.append(element('p', 'visually-hidden', author === 'user' ? 'Vous :' : 'Boussole :'));
  item.append(content);
  messages.append(item);
  item.scrollIntoView({ block: 'nearest' });
  return item;
}

function sourcesList(citations) {
  const block = element('div', 'sources');
  block.append(element('h3', 'sources-title', 'Sources'));
  const list = element('ol');
  for (const citation of citations) {
    const link = element('a', undefined, `[${citation.n}] ${citation.label}`);
    link.href = citation.url;
    link.target = '_blank';
    link.rel = 'noopener';
    const item = element('li');
    item.append(link);
    list.append(item);
  }
  block.append(list);
  return block;
}

function feedbackButtons({ actionId, interactionId }) {
  const group = element('div', 'feedback');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Cette réponse vous a-t-elle aidé ?');
  for (const [rating, label] of [
    ['up', '👍 Utile'],
    ['down', '👎 Pas utile'],
  ]) {
    const button = element('button', 'feedback-button', label);
    button.type = 'button';
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('click', async () => {
      for (const other of group.querySelectorAll('button')) other.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', 'true');
      const reply = await send({ action: { id: actionId, value: interactionId, rating } });
      if (reply) statusLine.textContent = reply.html.replace(/<[^>]+>/g, '').trim();
    });
    group.append(button);
  }
  return group;
}

function choiceButtons(choices) {
  const group = element('div', 'choices');
  for (const choice of choices) {
    const button = element('button', `choice ${choice.style ?? ''}`.trim(), choice.label);
    button.type = 'button';
    button.addEventListener('click', () =>
      ask({ action: { id: choice.actionId, value: choice.value } }, choice.label),
    );
    group.append(button);
  }
  return group;
}

function renderReply(reply) {
  const body = element('div', 'answer');
  if (reply.aiGenerated) body.append(element('p', 'ai-label', 'Rédigé par une IA à partir du guide'));
  const text = element('div', 'answer-text');
  text.innerHTML = reply.html; // sanitized by the server: no HTML from the answer text survives
  body.append(text);
  if (reply.citations.length > 0) body.append(sourcesList(reply.citations));
  if (reply.choices.length > 0) body.append(choiceButtons(reply.choices));
  if (reply.feedback) body.append(feedbackButtons(reply.feedback));
  addMessage('bot', body);
}

async function send(payload) {
  try {
    const response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ conversationId, userId, ...payload }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? 'Erreur du serveur');
    return body;
  } catch {
    addMessage(
      'bot',
      element('p', 'error', 'Impossible de joindre l’assistant. Vérifiez la connexion et réessayez.'),
    );
    return undefined;
  }
}

async function ask(payload, shownText) {
  if (shownText) addMessage('user', element('p', undefined, shownText));
  sendButton.disabled = true;
  statusLine.textContent = 'Recherche dans le guide…';
  const reply = await send(payload);
  statusLine.textContent = '';
  sendButton.disabled = false;
  if (reply) renderReply(reply);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  ask({ text }, text);
  input.focus();
});

input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

document.getElementById('new-conversation').addEventListener('click', () => {
  conversationId = randomId();
  localStorage.setItem('boussole.conversationId', conversationId);
  messages.replaceChildren();
  ask({ text: 'aide' });
  input.focus();
});

ask({ text: 'aide' });
