// The machine's floor for the webhook bench: the least any hub must do for a message, and no
// more. It takes Evolution's webhook, inserts one row, answers, runs the agent and sends its
// answer back, over the same sockets, fakes and PostgreSQL as Omni. Timed like Omni, message by
// message in turn with it, it shows how much of Omni's figures is the machine's own cost.
import { createServer, IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Pool as PgPool } from 'pg';
import { request } from 'undici';

const env = (name: string) => process.env[name] ?? '';
const database = new PgPool({ connectionString: env('FLOOR_DATABASE_URL'), max: 4 });

interface TextWebhook {
  data: { key: { id: string; remoteJid: string }; message: { conversation?: string; extendedTextMessage?: { text: string } } };
}

async function readJson(req: IncomingMessage): Promise<TextWebhook> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as TextWebhook;
}

async function answer(chatJid: string, text: string): Promise<void> {
  const form = new URLSearchParams({ message: text, stream: 'false', session_id: chatJid, user_id: chatJid });
  const run = await request(`${env('FLOOR_AGENT_URL')}/agents/atendimento/runs`, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const { content } = (await run.body.json()) as { content: string };
  const sent = await request(`${env('FLOOR_EVOLUTION_URL')}/message/sendText/bench`, {
    method: 'POST',
    body: JSON.stringify({ number: chatJid.split('@')[0], text: content }),
    headers: { 'content-type': 'application/json', apikey: env('FLOOR_EVOLUTION_KEY') },
  });
  await sent.body.dump();
}

const server = createServer((req, res) => {
  if (req.method === 'GET') return void res.writeHead(200).end('{"status":"healthy"}');
  void (async () => {
    const { data } = await readJson(req);
    const text = data.message.conversation ?? data.message.extendedTextMessage?.text ?? '';
    await database.query('INSERT INTO floor_messages (id, message_id, chat_id, text) VALUES ($1, $2, $3, $4)', [randomUUID(), data.key.id, data.key.remoteJid, text]);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
    await answer(data.key.remoteJid, text);
  })().catch((err: unknown) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(500).end();
  });
});

async function main(): Promise<void> {
  await database.query('CREATE TABLE floor_messages (id uuid PRIMARY KEY, message_id text UNIQUE NOT NULL, chat_id text NOT NULL, text text NOT NULL)');
  server.listen(Number(env('FLOOR_PORT')), '127.0.0.1');
}

void main();
