/**
 * The HTML of the emulated sign-in pages: an account picker with Allow / Deny, and an error page.
 * Stable hooks for browser tests: radio inputs `name="user"` (value = email), buttons
 * `name="decision"` with values `allow` / `deny` (labels "Allow" / "Deny"), `data-error` on errors,
 * and `data-code` on the page showing an authorization code (a request without redirect URI).
 */
import { escapeHtml } from './http';

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; background: #f1f3f4; margin: 0; color: #202124; }
  main { max-width: 440px; margin: 48px auto; background: #fff; border-radius: 8px; padding: 32px;
         box-shadow: 0 1px 3px rgba(0,0,0,.2); }
  h1 { font-size: 22px; font-weight: 500; margin: 0 0 8px; }
  .muted { color: #5f6368; }
  fieldset { border: 0; padding: 0; margin: 24px 0; }
  label.account { display: flex; gap: 12px; align-items: center; padding: 10px 12px; border: 1px solid #dadce0;
                  border-radius: 6px; margin-bottom: 8px; cursor: pointer; }
  label.account:has(input:checked) { border-color: #1a73e8; background: #e8f0fe; }
  .avatar { width: 32px; height: 32px; border-radius: 50%; background: #1a73e8; color: #fff; display: grid;
            place-items: center; font-weight: 600; }
  ul.scopes { padding-left: 20px; word-break: break-all; }
  .buttons { display: flex; justify-content: flex-end; gap: 12px; margin-top: 24px; }
  button { font: inherit; padding: 8px 20px; border-radius: 4px; border: 1px solid #dadce0; background: #fff;
           cursor: pointer; }
  button[value=allow] { background: #1a73e8; color: #fff; border-color: #1a73e8; }
  code { background: #f1f3f4; padding: 1px 4px; border-radius: 3px; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface ConsentPageInput {
  serviceName: string;
  /** Where the form posts (the authorize path). */
  action: string;
  requestId: string;
  clientId: string;
  scope: string;
  users: readonly { email: string; displayName: string }[];
  selected: string | undefined;
}

export function renderConsentPage(input: ConsentPageInput): string {
  const selected = input.selected ?? input.users[0]?.email;
  const accounts = input.users
    .map(
      (user) => `<label class="account">
  <input type="radio" name="user" value="${escapeHtml(user.email)}"${user.email === selected ? ' checked' : ''}>
  <span class="avatar" aria-hidden="true">${escapeHtml(user.displayName.slice(0, 1).toUpperCase())}</span>
  <span><strong>${escapeHtml(user.displayName)}</strong><br><span class="muted">${escapeHtml(user.email)}</span></span>
</label>`,
    )
    .join('\n');
  const scopes = input.scope
    .split(' ')
    .map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`)
    .join('');
  return page(
    `Sign in - ${input.serviceName} (emulator)`,
    `<h1>Sign in with ${escapeHtml(input.serviceName)}</h1>
<p class="muted">Emulator. Choose an account to continue to <code>${escapeHtml(input.clientId)}</code>.</p>
<form method="post" action="${escapeHtml(input.action)}">
  <input type="hidden" name="request" value="${escapeHtml(input.requestId)}">
  <fieldset><legend class="muted">Accounts</legend>
${accounts}
  </fieldset>
  <p>The app is asking for:</p>
  <ul class="scopes">${scopes}</ul>
  <div class="buttons">
    <button type="submit" name="decision" value="deny">Deny</button>
    <button type="submit" name="decision" value="allow">Allow</button>
  </div>
</form>`,
  );
}

export function renderErrorPage(serviceName: string, error: string, description: string): string {
  return page(
    `Error - ${serviceName} (emulator)`,
    `<h1 data-error="${escapeHtml(error)}">Access blocked: ${escapeHtml(error)}</h1>
<p>${escapeHtml(description)}</p>
<p class="muted">${escapeHtml(serviceName)} emulator</p>`,
  );
}

/** The page showing an authorization code to copy into the app (a code flow without redirect URI). */
export function renderCodePage(serviceName: string, code: string): string {
  return page(
    `Access code - ${serviceName} (emulator)`,
    `<h1>Access code generated</h1>
<p>Enter this code into the app to finish connecting it:</p>
<p><input readonly size="48" data-code="${escapeHtml(code)}" value="${escapeHtml(code)}" aria-label="Access code"></p>
<p class="muted">${escapeHtml(serviceName)} emulator</p>`,
  );
}
