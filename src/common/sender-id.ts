// One spelling per sender id, so rules, filters and stored traces compare equal however a number
// was typed: `+55 11 98888-0001`, `5511988880001@s.whatsapp.net` and `5511988880001:12@s.whatsapp.net`
// are all `5511988880001`. Discord ids are digits already. A WhatsApp `@lid` id is not a phone
// number and is kept as given.

const LID_SUFFIX = /@lid$/i;
const JID_SUFFIX = /@.*$/;
const DEVICE_SUFFIX = /:\d+$/;
const PHONE_PUNCTUATION = /[\s+\-().]/g;

export const isLid = (id: string): boolean => LID_SUFFIX.test(id);

export function normaliseSenderId(raw: string): string {
  const id = raw.trim();
  if (isLid(id)) return id;
  return id.replace(JID_SUFFIX, '').replace(DEVICE_SUFFIX, '').replace(PHONE_PUNCTUATION, '');
}
