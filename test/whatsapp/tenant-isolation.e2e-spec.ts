import { createTenant, TestTenant } from '../support/tenants';
import { startWhatsAppHarness, WhatsAppHarness } from './whatsapp-harness';

const ANA = '+5511988880001';
const FILE_URL = 'https://x.example.com/file';

/** Every instance route of the WhatsApp issue, with a valid body where one is needed. */
const ROUTES: [string, string, Record<string, unknown>?][] = [
  ['GET', '/api/v1/instances/a-shop/qr'],
  ['GET', '/api/v1/instances/a-shop/status'],
  ['POST', '/api/v1/instances/a-shop/connect'],
  ['POST', '/api/v1/instances/a-shop/disconnect'],
  ['POST', '/api/v1/instances/a-shop/restart'],
  ['POST', '/api/v1/instances/a-shop/logout'],
  ['GET', '/api/v1/instances/a-shop/contacts'],
  ['GET', '/api/v1/instances/a-shop/contacts/5511988880001@s.whatsapp.net'],
  ['GET', '/api/v1/instances/a-shop/chats'],
  ['GET', '/api/v1/instances/a-shop/chats/5511988880001@s.whatsapp.net'],
  ['POST', '/api/v1/instance/a-shop/send-text', { phone_number: ANA, text: 'Oi' }],
  ['POST', '/api/v1/instance/a-shop/send-media', { phone_number: ANA, media_type: 'image', mime_type: 'image/png', media_url: FILE_URL }],
  ['POST', '/api/v1/instance/a-shop/send-audio', { phone_number: ANA, audio_url: FILE_URL }],
  ['POST', '/api/v1/instance/a-shop/send-sticker', { phone_number: ANA, sticker_url: FILE_URL }],
  ['POST', '/api/v1/instance/a-shop/send-contact', { phone_number: ANA, contacts: [{ full_name: 'Ana', phone_number: ANA }] }],
  ['POST', '/api/v1/instance/a-shop/send-reaction', { phone_number: ANA, message_id: 'ABC', reaction: '👍' }],
  ['POST', '/api/v1/instance/a-shop/fetch-profile', { phone_number: ANA }],
  ['POST', '/api/v1/instance/a-shop/update-profile-picture', { picture_url: 'https://x.example.com/logo.png' }],
];

describe('Tenant isolation of the WhatsApp routes', () => {
  let h: WhatsAppHarness;
  let tenantA: TestTenant;
  let tenantB: TestTenant;

  beforeAll(async () => {
    h = await startWhatsAppHarness();
    tenantA = await createTenant(h.api, 'tenant-a');
    tenantB = await createTenant(h.api, 'tenant-b');
    await h.createInstance('a-shop', {}, tenantA.key);
    h.evolution.setState('a-shop', 'open');
  });
  afterAll(() => h.close());
  beforeEach(() => h.evolution.clearRequests());

  it("answers 404 to another tenant on every route of an instance, and never reaches Evolution", async () => {
    for (const [method, path, body] of ROUTES) {
      const answer = await h.api(method, path, { key: tenantB.key, body });
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 });
    }
    expect(h.evolution.requests).toHaveLength(0);
  });

  it('serves the same routes to the owning tenant', async () => {
    for (const [method, path, body] of ROUTES) {
      const answer = await h.api(method, path, { key: tenantA.key, body });
      expect({ method, path, ok: answer.status < 300 || answer.status === 409 }).toEqual({ method, path, ok: true });
    }
  });
});
