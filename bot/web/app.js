// The local web chat: no framework, no build step. Answers come from POST /api/chat as safe HTML; who is
// speaking comes from the session cookie (HttpOnly: this script never sees it), described by GET /api/session.
const messages = document.getElementById('messages');
const form = document.getElementById('ask-form');
const input = document.getElementById('question');
const sendButton = document.getElementById('send');
const statusLine = document.getElementById('status');
const identity = document.getElementById('identity');

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
/** What GET /api/session said: the person signed in (or null), whether visitors may ask, the demo people. */
let session = { person: null, questions: 'open' };
let cardCount = 0;

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

/** A button that sends its choice as if typed: the label is shown as the person's message. */
function choiceButton(choice, className, shownText = choice.label) {
  const button = element('button', `${className} ${choice.style ?? ''}`.trim(), choice.label);
  button.type = 'button';
  button.addEventListener('click', async () => {
    await ask({ action: { id: choice.actionId, value: choice.value } }, shownText);
    input.focus();
  });
  return button;
}

function choiceButtons(choices, label) {
  const group = element('div', 'choices');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', label);
  for (const choice of choices) group.append(choiceButton(choice, 'choice'));
  return group;
}

/** The recap card. Its strings arrive HTML-escaped from the server (they hold what people typed). */
function recordCard(card) {
  const id = `card-${++cardCount}`;
  const article = element('article', 'record-card');
  article.setAttribute('aria-labelledby', `${id}-title`);
  const header = element('header', 'card-header');
  const title = element('h3', 'card-title');
  title.id = `${id}-title`;
  title.innerHTML = card.title;
  header.append(title);
  if (card.subtitle) {
    const subtitle = element('p', 'card-subtitle');
    subtitle.innerHTML = card.subtitle;
    header.append(subtitle);
  }
  article.append(header);
  for (const section of card.sections) {
    const block = element('section', 'card-section');
    const heading = element('h4');
    heading.id = `${id}-${section.id}`;
    heading.innerHTML = section.title;
    block.setAttribute('aria-labelledby', heading.id);
    const head = element('div', 'card-section-head');
    head.append(heading);
    if (section.edit) {
      const sectionName = heading.textContent;
      // A saved fiche's sections open an inline form; before that, the button asks in the conversation.
      const edit =
        section.edit.actionId === EDIT_SECTION
          ? element('button', 'card-edit secondary', section.edit.label)
          : choiceButton(section.edit, 'card-edit secondary', `${section.edit.label} : ${sectionName}`);
      if (section.edit.actionId === EDIT_SECTION) {
        edit.type = 'button';
        edit.setAttribute('aria-expanded', 'false');
        edit.addEventListener('click', () => toggleSectionForm(block, edit, section.edit.value));
      }
      edit.setAttribute('aria-label', `${section.edit.label} la section ${sectionName}`);
      head.append(edit);
    }
    block.append(head);
    const list = element('dl', 'card-fields');
    for (const field of section.fields) {
      const row = element('div', `card-field${field.missing ? ' card-field-missing' : ''}`);
      const label = element('dt');
      label.innerHTML = field.label;
      const value = element('dd');
      if (field.value) value.innerHTML = field.value;
      else value.textContent = field.missing ? 'à compléter' : '—';
      row.append(label, value);
      list.append(row);
    }
    block.append(list);
    article.append(block);
  }
  if (card.actions.length > 0) article.append(choiceButtons(card.actions, 'Actions sur la fiche'));
  return article;
}

const EDIT_SECTION = 'edit_section';
let formCount = 0;

/** Opens (or closes) a recap section's inline form, loaded from GET /api/form. */
async function toggleSectionForm(block, button, ref) {
  const open = block.querySelector('form.section-form');
  if (open) {
    open.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  button.disabled = true;
  const query = new URLSearchParams({ conversationId, userId, ref });
  const response = await fetch(`/api/form?${query}`).catch(() => undefined);
  const body = await response?.json().catch(() => undefined);
  button.disabled = false;
  if (!response?.ok || !body?.form) {
    showError(body?.error ?? 'Impossible d’ouvrir ce formulaire. Réessayez.');
    return;
  }
  block.append(sectionForm(body.form, {}, undefined, button));
  button.setAttribute('aria-expanded', 'true');
  block
    .querySelector('form.section-form input, form.section-form textarea, form.section-form select')
    ?.focus();
}

/** One field of a section form: its input, help and (after a refused submission) its error. Text only: no innerHTML. */
function formField(field, prefix, error) {
  const id = `${prefix}-${field.id}`;
  const row = element('div', `form-field${error ? ' form-field-invalid' : ''}`);
  row.dataset.field = field.id;
  row.dataset.kind = field.kind;
  const described = [`${id}-help`, ...(error ? [`${id}-error`] : [])].join(' ');
  const help = element('p', 'help', [field.help, field.condition].filter(Boolean).join(' '));
  help.id = `${id}-help`;
  const mark = (input) => {
    input.setAttribute('aria-describedby', described);
    if (error) input.setAttribute('aria-invalid', 'true');
    return input;
  };
  if (field.kind === 'choice' && field.multiple) {
    const group = element('fieldset', 'form-choices');
    group.append(element('legend', undefined, `${field.label} (${field.maxChoices} au plus)`));
    for (const option of field.options) {
      const label = element('label', 'form-choice');
      const box = mark(element('input'));
      box.type = 'checkbox';
      box.name = field.id;
      box.value = option.id;
      box.checked = field.selected.includes(option.id);
      label.append(box, ` ${option.label}`);
      group.append(label);
    }
    row.append(group);
  } else {
    const label = element('label', undefined, field.label);
    label.htmlFor = id;
    row.append(label);
    if (field.kind === 'choice') {
      const select = mark(element('select'));
      select.id = id;
      select.name = field.id;
      select.append(new Option('—', ''));
      for (const option of field.options) select.append(new Option(option.label, option.id));
      select.value = field.selected[0] ?? '';
      row.append(select);
    } else if (field.kind === 'period') {
      const days = element('div', 'form-period');
      for (const [index, name] of [
        [0, 'début'],
        [1, 'fin'],
      ]) {
        const day = mark(element('input'));
        day.type = 'date';
        day.name = field.id;
        day.id = index === 0 ? id : `${id}-fin`;
        day.value = (index === 0 ? field.period?.start : field.period?.end) ?? '';
        day.setAttribute('aria-label', `${field.label} : ${name}`);
        days.append(day);
      }
      row.append(days);
    } else {
      const input = mark(element(field.kind === 'long_text' ? 'textarea' : 'input'));
      input.id = id;
      input.name = field.id;
      input.value = field.value;
      input.placeholder = `Exemple : ${field.example}`;
      if (field.kind === 'long_text')
        input.rows = Math.min(8, Math.max(3, field.value.split('\n').length + 1));
      row.append(input);
    }
  }
  row.append(help);
  if (error) {
    const message = element('p', 'form-error', error);
    message.id = `${id}-error`;
    row.append(message);
  }
  return row;
}

/** What the form holds, by field id: text, the option ids chosen, or the period's two days. */
function formValues(formNode, fields) {
  const values = {};
  for (const field of fields) {
    const inputs = [...formNode.elements].filter((input) => input.name === field.id);
    if (field.kind === 'choice')
      values[field.id] = inputs
        .filter((input) => input.type !== 'checkbox' || input.checked)
        .map((input) => input.value)
        .filter(Boolean);
    else if (field.kind === 'period') values[field.id] = inputs.map((input) => input.value);
    else values[field.id] = inputs[0]?.value ?? '';
  }
  return values;
}

function sectionForm(form, errors, notice, button) {
  const prefix = `form-${++formCount}`;
  const node = element('form', 'section-form');
  node.noValidate = true;
  node.setAttribute('aria-label', form.title);
  node.dataset.ref = form.ref;
  if (notice) node.append(element('p', 'form-notice', notice));
  if (Object.keys(errors).length > 0)
    node.append(element('p', 'form-error', 'Certaines réponses sont à revoir : rien n’est enregistré.'));
  for (const field of form.fields) node.append(formField(field, prefix, errors[field.id]));
  const actions = element('div', 'choices');
  const save = element('button', 'choice primary', 'Enregistrer');
  save.type = 'submit';
  const cancel = element('button', 'choice secondary', 'Annuler');
  cancel.type = 'button';
  cancel.addEventListener('click', () => {
    node.remove();
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  });
  actions.append(save, cancel);
  node.append(actions);
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    const response = await fetch('/api/form', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ conversationId, userId, ref: form.ref, values: formValues(node, form.fields) }),
    }).catch(() => undefined);
    const body = await response?.json().catch(() => undefined);
    save.disabled = false;
    if (body?.status === 'saved') {
      node.remove();
      button.setAttribute('aria-expanded', 'false');
      renderReply(body.reply);
    } else if (body?.status === 'invalid' || body?.status === 'conflict') {
      const next = sectionForm(body.form, body.errors ?? {}, body.message, button);
      node.replaceWith(next);
      (next.querySelector('[aria-invalid="true"]') ?? next.querySelector('.form-notice'))?.focus?.();
    } else {
      showError(body?.error ?? 'Impossible d’enregistrer. Réessayez dans quelques instants.');
    }
  });
  return node;
}

function renderReply(reply) {
  const body = element('div', 'answer');
  if (reply.aiGenerated) body.append(element('p', 'ai-label', 'Rédigé par une IA à partir du guide'));
  const text = element('div', 'answer-text');
  text.innerHTML = reply.html; // sanitized by the server: no HTML from the answer text survives
  body.append(text);
  if (reply.card) body.append(recordCard(reply.card));
  if (reply.citations.length > 0) body.append(sourcesList(reply.citations));
  if (reply.choices.length > 0)
    body.append(choiceButtons(reply.choices, reply.form ? 'Réponses possibles' : 'Suites possibles'));
  if (reply.feedback) body.append(feedbackButtons(reply.feedback));
  const item = addMessage('bot', body);
  // Scripts and tests follow a form by these attributes, without reading the French.
  if (reply.form) {
    item.dataset.form = reply.form.formId;
    item.dataset.step = reply.form.step;
    if (reply.form.fieldId) item.dataset.field = reply.form.fieldId;
    if (reply.form.recordId) item.dataset.record = reply.form.recordId;
  }
  const inForm = reply.form && reply.form.step !== 'closed';
  input.placeholder = inForm
    ? 'Votre réponse (ou une question de méthode)'
    : 'Ex. : Comment rédiger une convention de partenariat ?';
}

function showError(message) {
  addMessage('bot', element('p', 'error', message));
}

async function send(payload) {
  let response;
  let body;
  try {
    response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ conversationId, userId, ...payload }),
    });
    body = await response.json();
  } catch {
    showError('Impossible de joindre l’assistant. Vérifiez la connexion et réessayez.');
    return undefined;
  }
  if (session.person && body.person === null) {
    // The server ended the session (expired, or access removed).
    showError('Votre session a pris fin : vous n’êtes plus connecté.');
    await loadSession();
  }
  if (!response.ok) {
    showError(body.error ?? 'Erreur du serveur. Réessayez dans quelques instants.');
    return undefined;
  }
  return body;
}

async function ask(payload, shownText) {
  if (shownText) addMessage('user', element('p', undefined, shownText));
  sendButton.disabled = true;
  statusLine.textContent = 'Un instant…';
  const reply = await send(payload);
  statusLine.textContent = '';
  sendButton.disabled = false;
  if (reply) renderReply(reply);
}

function startConversation() {
  conversationId = randomId();
  localStorage.setItem('boussole.conversationId', conversationId);
  messages.replaceChildren();
  return greet();
}

async function greet() {
  if (!session.person && session.questions === 'signed-in') {
    addMessage(
      'bot',
      element(
        'p',
        'notice',
        session.demo
          ? 'Ce déploiement réserve Boussole aux personnes connectées : choisissez une personne de démonstration ci-dessus.'
          : 'Ce déploiement réserve Boussole aux personnes connectées : ouvrez le lien personnel de connexion que l’administrateur vous a envoyé.',
      ),
    );
    return;
  }
  await ask({ text: 'aide' });
}

async function choosePerson(personId) {
  // Nothing is typed into the conversation being replaced; scripts wait for aria-busy to go.
  messages.setAttribute('aria-busy', 'true');
  input.disabled = true;
  try {
    await switchPerson(personId);
  } finally {
    messages.removeAttribute('aria-busy');
    input.disabled = !session.person && session.questions === 'signed-in';
  }
}

async function switchPerson(personId) {
  const response = await fetch('/api/session/demo', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ personId: personId || null }),
  }).catch(() => undefined);
  if (!response?.ok) {
    const body = await response?.json().catch(() => undefined);
    showError(body?.error ?? 'Impossible de changer de personne. Réessayez.');
    return;
  }
  await loadSession();
  // Another person: another conversation (their forms and drafts are theirs).
  await startConversation();
}

function signOutForm() {
  const signOut = element('form', 'sign-out');
  signOut.method = 'post';
  signOut.action = '/deconnexion';
  const button = element('button', 'secondary', 'Se déconnecter');
  button.type = 'submit';
  signOut.append(button);
  return signOut;
}

function personLabel(person) {
  return person.roles.length > 0 ? `${person.displayName} (${person.roles.join(', ')})` : person.displayName;
}

/** The header's « who am I »: the demo picker in development, else the person signed in, or how to sign in. */
function renderIdentity() {
  identity.replaceChildren();
  const { person, demo } = session;
  if (demo) {
    const badge = element('p', 'demo-badge');
    badge.append(element('strong', undefined, 'Mode démonstration'));
    badge.append(' : personnes fictives, pour essayer Boussole.');
    identity.append(badge);
    const row = element('div', 'identity-row');
    const label = element('label', undefined, 'Vous êtes :');
    label.htmlFor = 'person';
    const select = element('select');
    select.id = 'person';
    select.append(new Option('Visiteur (non connecté)', ''));
    for (const candidate of demo.people) select.append(new Option(personLabel(candidate), candidate.id));
    select.value = demo.people.some((candidate) => candidate.id === person?.id) ? person.id : '';
    select.addEventListener('change', () => choosePerson(select.value));
    row.append(label, select);
    identity.append(row);
    if (person && select.value === '') identity.append(signedInLine(person));
    return;
  }
  if (person) {
    identity.append(signedInLine(person));
    return;
  }
  identity.append(
    element(
      'p',
      'identity-hint',
      'Vous n’êtes pas connecté. Pour rédiger vos fiches-actions, ouvrez le lien personnel de connexion reçu de l’administrateur.',
    ),
  );
}

function signedInLine(person) {
  const row = element('div', 'identity-row');
  const text = element('p', 'signed-in', 'Connecté : ');
  text.append(element('strong', undefined, personLabel(person)));
  row.append(text, signOutForm());
  return row;
}

async function loadSession() {
  try {
    const response = await fetch('/api/session');
    if (response.ok) session = await response.json();
  } catch {
    // Unreachable: the chat says so at the first message.
  }
  renderIdentity();
  const closed = !session.person && session.questions === 'signed-in';
  input.disabled = closed;
  sendButton.disabled = closed;
}

/** The largest file the server takes (413 beyond): checked here first, to spare the upload. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;
const attach = document.getElementById('attach');

/** A Word fiche sent with the « Joindre » control: POST /api/chat/file, its name in a header. */
attach.addEventListener('change', async () => {
  const file = attach.files[0];
  attach.value = '';
  if (!file) return;
  addMessage('user', element('p', undefined, `📎 ${file.name}`));
  if (file.size > MAX_FILE_BYTES) {
    showError(
      'Ce fichier dépasse 10 Mo : une fiche-action tient en quelques pages. Envoyez le document Word de la fiche seule.',
    );
    return;
  }
  sendButton.disabled = true;
  statusLine.textContent = 'Lecture du fichier…';
  const query = new URLSearchParams({ conversationId, userId });
  const response = await fetch(`/api/chat/file?${query}`, {
    method: 'POST',
    headers: {
      'Content-Type': file.type || 'application/octet-stream',
      'X-File-Name': encodeURIComponent(file.name),
    },
    body: file,
  }).catch(() => undefined);
  const body = await response?.json().catch(() => undefined);
  statusLine.textContent = '';
  sendButton.disabled = false;
  if (response?.ok && body) renderReply(body);
  else showError(body?.error ?? 'Impossible d’envoyer ce fichier. Réessayez dans quelques instants.');
});

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
  startConversation();
  input.focus();
});

loadSession().then(greet);
