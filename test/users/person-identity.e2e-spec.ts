import { InstancesService } from '../../src/instances/instances.service';
import { UsersService } from '../../src/users/users.service';
import { seedInstance } from '../support/seed';
import { createTestApp, TestApp } from '../support/test-app';

describe('Resolving who wrote', () => {
  let omni: TestApp;

  beforeAll(async () => {
    omni = await createTestApp();
  });
  afterAll(() => omni.close());

  it('makes one person, with each id once, of first messages that arrive at the same time', async () => {
    const seeded = await seedInstance(omni, { name: 'identity-bot' });
    const instance = (await omni.app.get(InstancesService).findById(seeded.id))!;
    const users = omni.app.get(UsersService);
    const sender = { id: '5511955550001', phone: '5511955550001', jid: '5511955550001@s.whatsapp.net', lid: '111122223333@lid', displayName: 'Dani' };

    const people = await Promise.all(Array.from({ length: 5 }, () => users.resolve(instance, 'whatsapp', sender)));

    const [first] = people;
    expect(people.every((p) => p.user.id === first.user.id)).toBe(true);
    expect(first).toMatchObject({ personId: '5511955550001', ids: ['5511955550001', '111122223333@lid'] });
    const links = await omni.query<{ user_id: string; provider: string }>(
      'SELECT user_id, provider FROM user_external_ids WHERE external_id IN ($1, $2) ORDER BY provider',
      ['5511955550001', '111122223333@lid'],
    );
    expect(links).toEqual([
      { user_id: first.user.id, provider: 'whatsapp' },
      { user_id: first.user.id, provider: 'whatsapp_lid' },
    ]);
    const rows = await omni.query<{ display_name: string }>('SELECT display_name FROM users WHERE phone_number = $1', ['+5511955550001']);
    expect(rows).toEqual([{ display_name: 'Dani' }]);
  });
});
