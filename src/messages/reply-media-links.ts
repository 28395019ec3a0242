// Agents write Markdown. On WhatsApp a link to a media file (`![menu](https://…/menu.png)`,
// `[contract](https://…/contract.pdf)`) is sent as that file, with the link's text as its caption,
// as Evolution API's own chatbot integrations do; any other link stays in the text.
import type { OutboundFile } from '../channels/channel';

const MEDIA_BY_EXTENSION: Record<string, [OutboundFile['kind'], string]> = {
  jpg: ['image', 'image/jpeg'],
  jpeg: ['image', 'image/jpeg'],
  png: ['image', 'image/png'],
  gif: ['image', 'image/gif'],
  webp: ['image', 'image/webp'],
  mp4: ['video', 'video/mp4'],
  mov: ['video', 'video/quicktime'],
  '3gp': ['video', 'video/3gpp'],
  webm: ['video', 'video/webm'],
  mp3: ['audio', 'audio/mpeg'],
  ogg: ['audio', 'audio/ogg'],
  opus: ['audio', 'audio/ogg'],
  m4a: ['audio', 'audio/mp4'],
  aac: ['audio', 'audio/aac'],
  wav: ['audio', 'audio/wav'],
  pdf: ['document', 'application/pdf'],
  doc: ['document', 'application/msword'],
  docx: ['document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  xls: ['document', 'application/vnd.ms-excel'],
  xlsx: ['document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ppt: ['document', 'application/vnd.ms-powerpoint'],
  pptx: ['document', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  csv: ['document', 'text/csv'],
  txt: ['document', 'text/plain'],
  zip: ['document', 'application/zip'],
};

/** `[text](url)` or `![text](url)`, on one line; the URL has no spaces. */
const MARKDOWN_LINK = /!?\[([^\]\n]*)\]\((\S+?)\)/g;

/** The text without its media links, and the files they point to, in the order they appear. */
export function splitMediaLinks(text: string): { text: string; files: OutboundFile[] } {
  const files: OutboundFile[] = [];
  const rest = text.replace(MARKDOWN_LINK, (link, label: string, url: string) => {
    const file = mediaFileOf(label.trim(), url);
    if (!file) return link;
    files.push(file);
    return TAKEN_OUT;
  });
  return { text: files.length ? closeGaps(rest) : text, files };
}

function mediaFileOf(label: string, url: string): OutboundFile | undefined {
  const fileName = fileNameOf(url);
  const extension = fileName?.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase() : undefined;
  const media = extension ? MEDIA_BY_EXTENSION[extension] : undefined;
  if (!media) return undefined;
  const [kind, mimeType] = media;
  return {
    kind,
    url,
    mimeType,
    ...(label ? { caption: label } : {}),
    ...(kind === 'document' ? { fileName } : {}),
  };
}

/** The last segment of an http(s) URL's path; undefined for anything else. */
function fileNameOf(url: string): string | undefined {
  try {
    const { protocol, pathname } = new URL(url);
    if (protocol !== 'https:' && protocol !== 'http:') return undefined;
    return decodeURIComponent(pathname.slice(pathname.lastIndexOf('/') + 1));
  } catch {
    return undefined;
  }
}

/** Marks where a link was taken out, until the gaps it left are closed (a private-use character). */
const TAKEN_OUT = '\uE000';

/**
 * The spaces around a link taken out become one (none at a line's ends, nor before punctuation);
 * blank lines left behind collapse.
 */
const closeGaps = (text: string) =>
  text
    .replace(/^[ \t]*(?:\uE000[ \t]*)+/gm, '')
    .replace(/[ \t]*(?:\uE000[ \t]*)+$/gm, '')
    .replace(/[ \t]*(?:\uE000[ \t]*)+(?=[.,;:!?)])/g, '')
    .replace(/[ \t]*(?:\uE000[ \t]*)+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
