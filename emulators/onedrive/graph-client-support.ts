/**
 * The official Graph client (`@microsoft/microsoft-graph-client`) wired to the emulator over plain
 * http, for tests and benches (no test framework here).
 */
import { Client, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';

/**
 * What the Graph client needs over plain http (README, "The Graph client"): `client.api(url)` takes
 * only `https://` URLs as absolute, so an `http://` nextLink, deltaLink or uploadUrl comes out as
 * `{baseUrl}/v1.0/http://...`: this step puts it back. Then, like the client's own
 * AuthenticationHandler, the bearer token goes only to Graph (`/v1.0/` on the origin) and any
 * Authorization is removed elsewhere (upload URLs refuse it).
 */
export class EmulatorLinksMiddleware implements Middleware {
  private next: Middleware | undefined;
  /** Every URL requested, as sent. */
  readonly urls: string[] = [];
  constructor(
    private readonly origin: string,
    private readonly token: () => string,
  ) {}
  async execute(context: Context): Promise<void> {
    let url = typeof context.request === 'string' ? context.request : context.request.url;
    const mangled = /\/v1\.0\/(https?):\/+(.*)$/.exec(url);
    if (mangled) url = `${mangled[1]}://${mangled[2]}`;
    context.request = url;
    this.urls.push(url);
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    if (url.startsWith(`${this.origin}/v1.0/`)) headers.set('Authorization', `Bearer ${this.token()}`);
    else headers.delete('Authorization');
    options.headers = Object.fromEntries(headers);
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** The official Graph client wired to the emulator over http (links fixed, bearer on Graph only). */
export function graphClient(
  h: { url: string; token: string },
  token = h.token,
): { client: Client; links: EmulatorLinksMiddleware } {
  const links = new EmulatorLinksMiddleware(h.url, () => token);
  links.setNext(new HTTPMessageHandler());
  return { client: Client.initWithMiddleware({ baseUrl: `${h.url}/`, middleware: links }), links };
}
