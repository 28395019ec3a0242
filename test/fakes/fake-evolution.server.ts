// A loopback Evolution API v2 for tests: the routes Omni calls, Evolution's auth and error envelopes,
// one-shot failure injection, and a record of every request. Shapes: shared/notes/protocols.md §2.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse, STATUS_CODES } from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadEvolutionFixture } from './evolution-events';

const SEND_ROUTES = ['sendText', 'sendMedia', 'sendWhatsAppAudio', 'sendSticker', 'sendContact', 'sendReaction'] as const;
const CHAT_ROUTES = [
  'sendPresence', 'markMessageAsRead', 'fetchProfile', 'updateProfilePicture', 'findContacts', 'findChats', 'getBase64FromMediaMessage',
] as const;

type SendRoute = (typeof SEND_ROUTES)[number];
type ManagementRoute = 'createInstance' | 'connect' | 'connectionState' | 'fetchInstances' | 'restart' | 'logout' | 'deleteInstance' | 'setWebhook';
/** Named like the EvolutionClient methods that call them. */
export type EvolutionRoute = ManagementRoute | SendRoute | (typeof CHAT_ROUTES)[number];

export interface RecordedRequest {
  method: string;
  path: string;
  route: EvolutionRoute | 'unknown';
  instance?: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** `performance.now()` when the request arrived: sub-millisecond, for the benchmark. */
  arrivedAt: number;
}

/** A one-shot answer that replaces the route's normal behaviour. */
export interface InjectedResponse {
  status: number;
  /** Defaults to Evolution's error envelope for the status (or `{}` for a 2xx). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait before answering, e.g. to trip the client's timeout. */
  delayMs?: number;
  /** Close the socket without answering (a network error for the client). */
  dropConnection?: boolean;
}

export interface FakeEvolutionOptions {
  /** The global key (`AUTHENTICATION_API_KEY`). */
  apiKey?: string;
  /** sendPresence blocks for `delay` ms like the real server (default true). */
  presenceRealDelay?: boolean;
  /** Sends with a `delay` block for it like the real server (default true). */
  sendRealDelay?: boolean;
  /** Post a `send.message` event after each successful send; `{instance}` is replaced by the instance name. */
  echoSendsTo?: string;
}

export type FakeConnectionState = 'open' | 'close' | 'connecting';

export interface FakeWebhook {
  enabled: boolean;
  url: string;
  headers: Record<string, string>;
  byEvents: boolean;
  base64: boolean;
  events: string[];
}

export interface FakeInstance {
  name: string;
  instanceId: string;
  token: string;
  state: FakeConnectionState;
  ownerJid: string;
  profileName: string;
  webhook?: FakeWebhook;
  /** Set by `disconnect()`: sends fail with "Connection Closed" until `reconnect()`. */
  connectionClosed: boolean;
  qrCount: number;
}

export interface FakeMedia {
  mediaType: string;
  mimetype: string;
  base64: string;
  fileName?: string;
  caption?: string;
}

type JsonObject = Record<string, unknown>;

interface Reply {
  status: number;
  body: unknown;
}

interface RouteContext {
  body: JsonObject;
  query: URLSearchParams;
  instance?: FakeInstance;
  /** Set when the caller authenticated with an instance token rather than the global key. */
  tokenOf?: FakeInstance;
}

interface RouteSpec {
  method: string;
  prefix: string;
  route: EvolutionRoute;
  hasInstance: boolean;
}

const ROUTES: RouteSpec[] = [
  { method: 'POST', prefix: '/instance/create', route: 'createInstance', hasInstance: false },
  { method: 'GET', prefix: '/instance/connect', route: 'connect', hasInstance: true },
  { method: 'GET', prefix: '/instance/connectionState', route: 'connectionState', hasInstance: true },
  { method: 'GET', prefix: '/instance/fetchInstances', route: 'fetchInstances', hasInstance: false },
  { method: 'POST', prefix: '/instance/restart', route: 'restart', hasInstance: true },
  { method: 'DELETE', prefix: '/instance/logout', route: 'logout', hasInstance: true },
  { method: 'DELETE', prefix: '/instance/delete', route: 'deleteInstance', hasInstance: true },
  { method: 'POST', prefix: '/webhook/set', route: 'setWebhook', hasInstance: true },
  ...SEND_ROUTES.map((route) => ({ method: 'POST', prefix: `/message/${route}`, route, hasInstance: true })),
  ...CHAT_ROUTES.map((route) => ({ method: 'POST', prefix: `/chat/${route}`, route, hasInstance: true })),
];

const REQUIRED_FIELDS: Partial<Record<EvolutionRoute, string[]>> = {
  createInstance: ['instanceName'],
  setWebhook: ['webhook'],
  sendText: ['number', 'text'],
  sendMedia: ['number', 'mediatype', 'media'],
  sendWhatsAppAudio: ['number', 'audio'],
  sendSticker: ['number', 'sticker'],
  sendContact: ['number', 'contact'],
  sendReaction: ['key', 'reaction'],
  sendPresence: ['number', 'presence', 'delay'],
  markMessageAsRead: ['readMessages'],
  fetchProfile: ['number'],
  updateProfilePicture: ['picture'],
  getBase64FromMediaMessage: ['message'],
};

export class FakeEvolutionServer {
  readonly globalApiKey: string;
  private readonly presenceRealDelay: boolean;
  private readonly sendRealDelay: boolean;
  private readonly echoSendsTo?: string;
  private readonly server: Server;
  private readonly instances = new Map<string, FakeInstance>();
  private readonly injected = new Map<EvolutionRoute, InjectedResponse[]>();
  private readonly missingNumbers = new Set<string>();
  private readonly media = new Map<string, FakeMedia>();
  private readonly recorded: RecordedRequest[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly pendingEchoes = new Set<Promise<void>>();
  private url = '';

  constructor(options: FakeEvolutionOptions = {}) {
    this.globalApiKey = options.apiKey ?? 'fake-evolution-global-key';
    this.presenceRealDelay = options.presenceRealDelay ?? true;
    this.sendRealDelay = options.sendRealDelay ?? true;
    this.echoSendsTo = options.echoSendsTo;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, errorReply(500, [String(error)])));
    });
  }

  /** Listens on 127.0.0.1 on a free port and resolves with the base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.pendingEchoes]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get baseUrl(): string {
    return this.url;
  }

  /** Registers an instance without an HTTP call, connected by default. Returns it (token included). */
  addInstance(name: string, init: Partial<Omit<FakeInstance, 'name'>> = {}): FakeInstance {
    const instance: FakeInstance = {
      name,
      instanceId: randomUUID(),
      token: randomUUID().toUpperCase(),
      state: 'open',
      ownerJid: '5511900000001@s.whatsapp.net',
      profileName: 'Loja Exemplo',
      connectionClosed: false,
      qrCount: 0,
      ...init,
    };
    this.instances.set(name, instance);
    return instance;
  }

  instance(name: string): FakeInstance | undefined {
    return this.instances.get(name);
  }

  setState(name: string, state: FakeConnectionState): void {
    this.requireInstance(name).state = state;
  }

  /** The next calls to `route` get these answers, in order, before normal behaviour resumes. */
  failNext(route: EvolutionRoute, responses: InjectedResponse[]): void {
    this.injected.set(route, [...(this.injected.get(route) ?? []), ...responses]);
  }

  /** Sends and profile lookups for this number answer 400 `{exists:false}`. */
  notOnWhatsApp(number: string): void {
    this.missingNumbers.add(digitsOf(number));
  }

  /** Sends answer 400 "Error: Connection Closed" until `reconnect`. */
  disconnect(name: string): void {
    Object.assign(this.requireInstance(name), { connectionClosed: true, state: 'close' });
  }

  reconnect(name: string): void {
    Object.assign(this.requireInstance(name), { connectionClosed: false, state: 'open' });
  }

  /** What getBase64FromMediaMessage returns for this message id (default: the fixture image). */
  setMedia(messageId: string, media: FakeMedia): void {
    this.media.set(messageId, media);
  }

  get requests(): readonly RecordedRequest[] {
    return this.recorded;
  }

  requestsTo(route: EvolutionRoute | 'unknown'): RecordedRequest[] {
    return this.recorded.filter((request) => request.route === route);
  }

  clearRequests(): void {
    this.recorded.length = 0;
  }

  /** Resolves once `route` has received at least `count` requests. */
  waitFor(route: EvolutionRoute, count = 1, timeoutMs = 5000): Promise<RecordedRequest[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const matching = this.requestsTo(route);
        if (matching.length < count) return;
        cleanup();
        resolve(matching);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`waited ${timeoutMs} ms for ${count} ${route} request(s), got ${this.requestsTo(route).length}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  // ---- dispatch ------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const rawBody = await readBody(req);
    const spec = ROUTES.find((route) => route.method === method && matchesPrefix(url.pathname, route));
    const instanceName = spec?.hasInstance ? decodeURIComponent(url.pathname.slice(spec.prefix.length + 1)) : undefined;
    const body = parseJson(rawBody);
    const recordedBody = body === INVALID_JSON ? rawBody : body;
    this.record({ method, path: url.pathname, route: spec?.route ?? 'unknown', instance: instanceName, headers: req.headers, body: recordedBody, receivedAt: Date.now(), arrivedAt: performance.now() });
    if (!spec) return send(res, errorReply(404, [`Cannot ${method} ${url.pathname}`]));
    const injected = this.injected.get(spec.route)?.shift();
    if (injected) return replyInjected(req, res, injected);
    if (body === INVALID_JSON) return send(res, errorReply(400, ['Unexpected token in JSON body']));
    send(res, await this.dispatch(spec, instanceName, isObject(body) ? body : {}, url.searchParams, req.headers.apikey));
  }

  private async dispatch(spec: RouteSpec, instanceName: string | undefined, body: JsonObject, query: URLSearchParams, apiKey: unknown): Promise<Reply> {
    const instance = instanceName === undefined ? undefined : this.instances.get(instanceName);
    if (spec.hasInstance && !instance) return errorReply(404, [`The "${instanceName}" instance does not exist`]);
    const tokenOf = [...this.instances.values()].find((candidate) => candidate.token === apiKey);
    const authorized = apiKey === this.globalApiKey || (tokenOf && (!spec.hasInstance || tokenOf === instance) && spec.route !== 'createInstance');
    if (!authorized) return errorReply(401, 'Unauthorized');
    const missing = (REQUIRED_FIELDS[spec.route] ?? []).find((field) => body[field] === undefined);
    if (missing) return errorReply(400, [`instance requires property "${missing}"`]);
    const context: RouteContext = { body, query, instance, tokenOf: apiKey === this.globalApiKey ? undefined : tokenOf };
    return isSendRoute(spec.route) ? this.handleSend(spec.route, context) : this.handlers[spec.route](context);
  }

  private record(request: RecordedRequest): void {
    this.recorded.push(request);
    this.waiters.forEach((check) => check());
  }

  private requireInstance(name: string): FakeInstance {
    const instance = this.instances.get(name);
    if (!instance) throw new Error(`fake Evolution has no instance "${name}"`);
    return instance;
  }

  // ---- instance and chat routes ----------------------------------------------------------------

  private readonly handlers: Record<Exclude<EvolutionRoute, SendRoute>, (context: RouteContext) => Reply | Promise<Reply>> = {
    createInstance: (context) => this.createInstance(context.body),
    connect: ({ instance, query }) => this.connect(definedInstance(instance), query.get('number')),
    connectionState: ({ instance }) => ok(200, stateOf(definedInstance(instance))),
    fetchInstances: (context) => this.fetchInstances(context),
    restart: ({ instance }) => this.restart(definedInstance(instance)),
    logout: ({ instance }) => this.logout(definedInstance(instance)),
    deleteInstance: ({ instance }) => this.deleteInstance(definedInstance(instance)),
    setWebhook: ({ instance, body }) => this.setWebhook(definedInstance(instance), body),
    sendPresence: (context) => this.sendPresence(context),
    markMessageAsRead: () => ok(201, loadEvolutionFixture('markMessageAsRead.response')),
    fetchProfile: ({ body }) => this.fetchProfile(String(body.number)),
    updateProfilePicture: () => ok(200, { update: 'success' }),
    findContacts: ({ body }) => ok(200, filterByRemoteJid(loadEvolutionFixture('findContacts.response'), body)),
    findChats: ({ body }) => ok(200, filterByRemoteJid(loadEvolutionFixture('findChats.response'), body)),
    getBase64FromMediaMessage: ({ body }) => this.mediaOf(body),
  };

  private createInstance(body: JsonObject): Reply {
    const name = String(body.instanceName);
    if (this.instances.has(name)) return errorReply(403, [`This name "${name}" is already in use.`]);
    const instance = this.addInstance(name, {
      token: typeof body.token === 'string' && body.token ? body.token : randomUUID().toUpperCase(),
      state: body.qrcode === true ? 'connecting' : 'close',
      webhook: isObject(body.webhook) ? webhookOf(body.webhook) : undefined,
    });
    const fixture = loadEvolutionFixture<JsonObject>('instance.create.response');
    return ok(201, {
      ...fixture,
      instance: { ...asObject(fixture.instance), instanceName: name, instanceId: instance.instanceId, status: instance.state },
      hash: instance.token,
      webhook: {
        webhookUrl: instance.webhook?.url ?? '',
        webhookHeaders: instance.webhook?.headers ?? {},
        webhookByEvents: instance.webhook?.byEvents ?? false,
        webhookBase64: instance.webhook?.base64 ?? false,
      },
      qrcode: body.qrcode === true ? this.nextQrCode(instance, undefined) : undefined,
    });
  }

  private connect(instance: FakeInstance, number: string | null): Reply {
    if (instance.state === 'open') return ok(200, stateOf(instance));
    instance.state = 'connecting';
    return ok(200, this.nextQrCode(instance, number ?? undefined));
  }

  private nextQrCode(instance: FakeInstance, number: string | undefined): JsonObject {
    instance.qrCount += 1;
    const fixture = loadEvolutionFixture<JsonObject>('instance.connect.response');
    return { ...fixture, pairingCode: number ? 'WZYEH1YY' : null, count: instance.qrCount };
  }

  private fetchInstances({ query, tokenOf }: RouteContext): Reply {
    const name = query.get('instanceName');
    const visible = [...this.instances.values()].filter((instance) => (!tokenOf || instance === tokenOf) && (!name || instance.name === name));
    if (name && visible.length === 0) return errorReply(404, [`Instance "${name}" not found`]);
    const template = asObject(loadEvolutionFixture<unknown[]>('instance.fetchInstances.response')[0]);
    return ok(200, visible.map((instance) => instanceInfo(template, instance)));
  }

  private restart(instance: FakeInstance): Reply {
    if (instance.state === 'close') return ok(200, { error: true, message: `The "${instance.name}" instance is not connected` });
    return ok(200, stateOf(instance));
  }

  private logout(instance: FakeInstance): Reply {
    if (instance.state !== 'open') return errorReply(400, [`The "${instance.name}" instance is not connected`]);
    instance.state = 'close';
    return ok(200, loadEvolutionFixture('instance.logout.response'));
  }

  private deleteInstance(instance: FakeInstance): Reply {
    this.instances.delete(instance.name);
    return ok(200, loadEvolutionFixture('instance.delete.response'));
  }

  private setWebhook(instance: FakeInstance, body: JsonObject): Reply {
    const settings = asObject(body.webhook);
    if (settings.enabled === undefined) return errorReply(400, ['instance.webhook requires property "enabled"']);
    if (settings.enabled === true && !settings.url) return errorReply(400, ['instance.webhook requires property "url"']);
    // Real Evolution reads events.length without a check when enabled.
    if (settings.enabled === true && !Array.isArray(settings.events)) {
      return errorReply(500, ["Cannot read properties of undefined (reading 'length')"]);
    }
    instance.webhook = webhookOf(settings);
    const fixture = loadEvolutionFixture<JsonObject>('webhook.set.response');
    const { webhook } = instance;
    return ok(201, {
      ...fixture,
      url: webhook.url,
      headers: webhook.headers,
      enabled: webhook.enabled,
      events: webhook.enabled ? webhook.events : [],
      webhookByEvents: webhook.byEvents,
      webhookBase64: webhook.base64,
      instanceId: instance.instanceId,
    });
  }

  private async sendPresence({ instance, body }: RouteContext): Promise<Reply> {
    if (definedInstance(instance).connectionClosed) return errorReply(400, ['Error: Connection Closed']);
    const delayMs = Number(body.delay);
    if (this.presenceRealDelay && delayMs > 0) await sleep(delayMs);
    return ok(201, { presence: body.presence });
  }

  private fetchProfile(number: string): Reply {
    const missing = this.missingNumberReply(number);
    if (missing) return missing;
    const digits = digitsOf(number);
    return ok(200, { ...loadEvolutionFixture<JsonObject>('fetchProfile.response'), wuid: `${digits}@s.whatsapp.net` });
  }

  private mediaOf(body: JsonObject): Reply {
    const id = asObject(asObject(body.message).key).id;
    if (typeof id !== 'string' || !id) return errorReply(400, ['Message not found']);
    return ok(201, this.media.get(id) ?? defaultMedia());
  }

  // ---- sends -----------------------------------------------------------------------------------

  private async handleSend(route: SendRoute, { instance, body }: RouteContext): Promise<Reply> {
    const owner = definedInstance(instance);
    if (owner.connectionClosed) return errorReply(400, ['Error: Connection Closed']);
    if (route === 'sendText' && body.text === '') return errorReply(400, ['Text is required']);
    const missingKeyField = route === 'sendReaction' ? ['remoteJid', 'fromMe', 'id'].find((field) => asObject(body.key)[field] === undefined) : undefined;
    if (missingKeyField) return errorReply(400, [`instance.key requires property "${missingKeyField}"`]);
    const remoteJid = route === 'sendReaction' ? String(asObject(body.key).remoteJid ?? '') : jidOf(String(body.number));
    const missing = this.missingNumberReply(remoteJid);
    if (missing) return missing;
    const delayMs = Number(body.delay ?? 0);
    if (this.sendRealDelay && delayMs > 0) await sleep(delayMs);
    const sent = sentMessage(owner, remoteJid, contentOf(route, body));
    this.echoSend(owner, sent);
    return ok(201, sent);
  }

  private missingNumberReply(numberOrJid: string): Reply | undefined {
    if (numberOrJid.endsWith('@g.us')) return undefined;
    const digits = digitsOf(numberOrJid);
    if (!this.missingNumbers.has(digits)) return undefined;
    return errorReply(400, [{ jid: `${digits}@s.whatsapp.net`, exists: false, number: digits }]);
  }

  // Real Evolution posts send.message to the instance webhook without awaiting it.
  private echoSend(instance: FakeInstance, sent: JsonObject): void {
    if (!this.echoSendsTo) return;
    const destination = this.echoSendsTo.replace('{instance}', encodeURIComponent(instance.name));
    const url = instance.webhook?.byEvents ? `${destination}/send-message` : destination;
    const envelope = {
      event: 'send.message',
      instance: instance.name,
      data: sent,
      destination,
      date_time: new Date().toISOString(),
      sender: instance.ownerJid,
      server_url: this.url,
      apikey: instance.token,
    };
    const posting = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...instance.webhook?.headers },
      body: JSON.stringify(envelope),
    })
      .then(() => undefined)
      .catch((error: unknown) => console.warn(`fake Evolution: send.message echo to ${url} failed: ${String(error)}`))
      .finally(() => this.pendingEchoes.delete(posting));
    this.pendingEchoes.add(posting);
  }
}

// ---- helpers -------------------------------------------------------------------------------------

const INVALID_JSON = Symbol('invalid JSON');

function matchesPrefix(pathname: string, spec: RouteSpec): boolean {
  if (!spec.hasInstance) return pathname === spec.prefix;
  return pathname.startsWith(`${spec.prefix}/`) && pathname.length > spec.prefix.length + 1 && !pathname.slice(spec.prefix.length + 1).includes('/');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

async function replyInjected(req: IncomingMessage, res: ServerResponse, injected: InjectedResponse): Promise<void> {
  if (injected.delayMs) await sleep(injected.delayMs);
  if (injected.dropConnection) {
    req.socket.destroy();
    return;
  }
  const body = injected.body ?? (injected.status < 300 ? {} : errorEnvelope(injected.status, [`Injected ${injected.status}`]));
  send(res, { status: injected.status, body }, injected.headers);
}

function ok(status: number, body: unknown): Reply {
  return { status, body };
}

function errorReply(status: number, message: unknown): Reply {
  return { status, body: errorEnvelope(status, message) };
}

function errorEnvelope(status: number, message: unknown): JsonObject {
  return { status, error: STATUS_CODES[status] ?? 'Error', response: { message } };
}

function isSendRoute(route: EvolutionRoute): route is SendRoute {
  return (SEND_ROUTES as readonly string[]).includes(route);
}

function definedInstance(instance: FakeInstance | undefined): FakeInstance {
  if (!instance) throw new Error('route needs an instance');
  return instance;
}

function stateOf(instance: FakeInstance): JsonObject {
  return { instance: { instanceName: instance.name, state: instance.state } };
}

function instanceInfo(template: JsonObject, instance: FakeInstance): JsonObject {
  const open = instance.state === 'open';
  return {
    ...template,
    id: instance.instanceId,
    name: instance.name,
    connectionStatus: instance.state,
    ownerJid: open ? instance.ownerJid : null,
    profileName: open ? instance.profileName : null,
    token: instance.token,
  };
}

function webhookOf(settings: JsonObject): FakeWebhook {
  return {
    enabled: settings.enabled !== false,
    url: String(settings.url ?? ''),
    headers: isObject(settings.headers) ? Object.fromEntries(Object.entries(settings.headers).map(([name, value]) => [name, String(value)])) : {},
    byEvents: settings.byEvents === true,
    base64: settings.base64 === true,
    events: Array.isArray(settings.events) ? settings.events.map(String) : [],
  };
}

function filterByRemoteJid(rows: unknown, query: JsonObject): unknown[] {
  const remoteJid = asObject(query.where).remoteJid;
  const list = Array.isArray(rows) ? rows : [];
  return remoteJid === undefined ? list : list.filter((row) => asObject(row).remoteJid === remoteJid);
}

function defaultMedia(): FakeMedia {
  const image = loadEvolutionFixture<{ data: { message: { base64: string; imageMessage: { caption: string } } } }>('messages.upsert.image');
  return { mediaType: 'imageMessage', mimetype: 'image/jpeg', base64: image.data.message.base64, caption: image.data.message.imageMessage.caption };
}

/** Baileys-style id of an API send: `3EB0` + 18 hex characters. */
function freshSentId(): string {
  return `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
}

function sentMessage(instance: FakeInstance, remoteJid: string, [messageType, content]: [string, unknown]): JsonObject {
  return {
    key: { remoteJid, fromMe: true, id: freshSentId() },
    pushName: 'Você',
    status: 'PENDING',
    message: { [messageType]: content },
    messageType,
    messageTimestamp: Math.floor(Date.now() / 1000),
    instanceId: instance.instanceId,
    source: 'web',
  };
}

function contentOf(route: SendRoute, body: JsonObject): [string, unknown] {
  switch (route) {
    case 'sendMedia':
      return [`${String(body.mediatype)}Message`, { mimetype: body.mimetype, caption: body.caption, fileName: body.fileName, url: 'https://mmg.whatsapp.net/fake.enc' }];
    case 'sendWhatsAppAudio':
      return ['audioMessage', { mimetype: 'audio/ogg; codecs=opus', ptt: true, url: 'https://mmg.whatsapp.net/fake.enc' }];
    case 'sendSticker':
      return ['stickerMessage', { mimetype: 'image/webp', isAnimated: false }];
    case 'sendContact':
      return contactContent(Array.isArray(body.contact) ? body.contact.map(asObject) : []);
    case 'sendReaction':
      return ['reactionMessage', { key: body.key, text: body.reaction }];
    default:
      return ['conversation', body.text];
  }
}

function contactContent(cards: JsonObject[]): [string, unknown] {
  const toContact = (card: JsonObject) => ({
    displayName: card.fullName,
    vcard: `BEGIN:VCARD\nVERSION:3.0\nFN:${String(card.fullName)}\nTEL;type=CELL;waid=${digitsOf(String(card.phoneNumber ?? ''))}:${String(card.phoneNumber ?? '')}\nEND:VCARD`,
  });
  if (cards.length === 1) return ['contactMessage', toContact(cards[0])];
  return ['contactsArrayMessage', { displayName: `${cards.length} contacts`, contacts: cards.map(toContact) }];
}

function jidOf(number: string): string {
  return number.includes('@') ? number : `${digitsOf(number)}@s.whatsapp.net`;
}

function digitsOf(numberOrJid: string): string {
  return numberOrJid.split('@')[0].split(':')[0].replace(/\D/g, '');
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}
