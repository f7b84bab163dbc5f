import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Small Markdown readers for the docs tests: fenced blocks, links and GitHub's heading anchors. */

export const ROOT = resolve(__dirname, '..', '..');

/** README.md and every page of docs/, as paths relative to the repository. */
export function documentationFiles(): string[] {
  const pages = readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`);
  return ['README.md', ...pages];
}

export function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

export interface CodeBlock {
  /** The info string after the opening fence: `ts`, `sh`, … */
  lang: string;
  code: string;
  /** 1-based line of the block's first code line in its file. */
  line: number;
}

const FENCE = /^(\s*)(```+|~~~+)\s*([^\s`]*)[^\n]*$/;

/** Fenced code blocks, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[2] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').trim().startsWith(fence)) body.push(lines[j++] ?? '');
    blocks.push({ lang: open[3] ?? '', code: `${body.join('\n')}\n`, line: i + 2 });
    i = j;
  }
  return blocks;
}

/** Each line of the file, with the lines of fenced blocks blanked (numbering kept). */
function outsideFences(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const open = FENCE.exec(line);
    if (fence === undefined && open) {
      fence = open[2];
      return '';
    }
    if (fence !== undefined && line.trim().startsWith(fence)) fence = undefined;
    return fence === undefined && !open ? line : '';
  });
}

/** The text outside fenced blocks and inline code spans (where links are links). */
function prose(markdown: string): string[] {
  return outsideFences(markdown).map((line) => line.replace(/`[^`]*`/g, '``'));
}

export interface Link {
  target: string;
  line: number;
}

/** Inline links and images (`[text](target)`), outside code. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  prose(markdown).forEach((text, index) => {
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ target: match[1] ?? '', line: index + 1 });
  });
  return found;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens (github-slugger's rule). */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/ /g, '-');
}

/** Every heading anchor of a Markdown file, with GitHub's `-1`, `-2` suffixes for repeats. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of outsideFences(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}
