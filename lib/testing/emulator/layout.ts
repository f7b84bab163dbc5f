import { escapeHtml } from '../../http/html';

/** The emulator's page shell: one inline style sheet, no scripts (the pages' CSP allows none). */
export function page(title: string, body: string, width = '24rem'): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; background: #f4f4f6; margin: 0; color: #1f2330; }
      main { max-width: ${width}; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; }
      label, input, select, button { display: block; width: 100%; box-sizing: border-box; }
      input, select { margin: 0.25rem 0 1rem; padding: 0.5rem; }
      button { padding: 0.5rem; margin-bottom: 0.5rem; cursor: pointer; text-align: left; }
      ul.users, ul.choices { list-style: none; padding: 0; }
      .note { color: #666; font-size: 0.875rem; }
      .error { color: #b00020; }
      table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; font-size: 0.875rem; }
      th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #e3e3e8; vertical-align: top; }
      td form { display: inline-block; margin: 0 0.25rem 0.25rem 0; }
      td button, .inline button, .inline select, .inline input { display: inline-block; width: auto; margin: 0 0.25rem 0 0; }
      .inline { margin-bottom: 1rem; }
      label.inline { display: inline-block; width: auto; margin: 0 0.5rem 0 0; }
      code { font-size: 0.8125rem; }
      .flash { background: #e8f3ec; padding: 0.5rem 0.75rem; border-radius: 4px; }
    </style>
  </head>
  <body>
    <main>
    ${body}
    </main>
  </body>
</html>
`;
}
