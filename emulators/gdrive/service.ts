/**
 * The Drive emulator's state and wiring. One origin serves every Google host path:
 * OAuth (`/o/oauth2/v2/auth`, `/token`, `/revoke`, ...), the API (`/drive/v3/...`), uploads
 * (`/upload/drive/v3/...`), thumbnails (`/drive-storage/...`) and the admin surface (`/__admin/...`).
 * Order per request (shared/pipeline.ts): admin (no faults) | faults (may answer, delay, reset or
 * break the response) | route (authentication, throttling, then the operation) | errors rendered as
 * Drive JSON; unknown paths get Google's HTML 404/405 pages.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createAdmin,
  registerAdminRoutes,
  registerQuotaRoute,
  seededStore,
  type AdminTarget,
  type EmulatorAdmin,
  type QuotaAdmin,
} from '../shared/admin';
import type { OffsetClock } from '../shared/clock';
import { oauthServerOptions, type ServiceOptions } from '../shared/emulator';
import { FaultEngine, type FaultHooks } from '../shared/faults';
import { BodyTooLargeError, Router, sendHtml, type RequestContext } from '../shared/http';
import { OAuthServer } from '../shared/oauth';
import { requestListener } from '../shared/pipeline';
import { WriteThrottle } from '../shared/throttle';
import { BlobStore } from './content';
import type { Access, DriveApi, DriveLimits } from './context';
import {
  DriveError,
  authError,
  insufficientScopes,
  loginRequired,
  rateLimitExceeded,
  requestTooLarge,
  sendDriveError,
  statusError,
  storageQuotaExceeded,
  userRateLimitExceeded,
} from './errors';
import type { RenderContext } from './resource';
import { registerFileRoutes } from './routes-files';
import { IdTokenSigner, registerOAuthRoutes } from './routes-oauth';
import { registerUploadRoutes } from './routes-upload';
import { buildDrives, numericUserId } from './seed';
import type { DriveStore } from './store';
import { Thumbnails } from './thumbnails';
import { UploadSessions } from './upload-sessions';

export const DRIVE_SCOPE = 'https://www.googleapis.com/auth/drive';
const SCOPE_PREFIX = 'https://www.googleapis.com/auth/';
const ACCESS_BY_SCOPE: Record<string, readonly Access[]> = {
  drive: ['metadata', 'content', 'write'],
  'drive.file': ['metadata', 'content', 'write'],
  'drive.readonly': ['metadata', 'content'],
  'drive.metadata': ['metadata'],
  'drive.metadata.readonly': ['metadata'],
};

export interface GdriveServiceOptions extends ServiceOptions {
  exportSizeLimitBytes: number;
}

const NOT_FOUND_PAGE = `<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That's an error.</ins><p>The requested URL was not found on this server. <ins>That's all we know.</ins>`;
const METHOD_PAGE = `<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 405 (Method Not Allowed)!!1</title><p><b>405.</b> <ins>That's an error.</ins><p>The request method is inappropriate for the URL. <ins>That's all we know.</ins>`;

export class GdriveService implements DriveApi {
  readonly clock: OffsetClock;
  readonly blobs: BlobStore;
  readonly thumbnails: Thumbnails;
  readonly limits: DriveLimits;
  readonly oauth: OAuthServer;
  readonly faults: FaultEngine;
  readonly throttle: WriteThrottle;
  readonly admin: EmulatorAdmin &
    QuotaAdmin & {
      /** The id of a user's My Drive root folder. */
      rootId(user: string): string;
    };
  private drives = new Map<string, DriveStore>();
  private readonly sessions: UploadSessions;
  private readonly router = new Router();
  private readonly adminRouter = new Router();
  private readonly faultHooks: FaultHooks;
  /** The node:http request listener (shared/pipeline.ts). */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;

  constructor(private readonly options: GdriveServiceOptions) {
    this.clock = options.clock;
    this.blobs = new BlobStore(options.dataDir);
    this.thumbnails = new Thumbnails(this.clock);
    this.limits = {
      exportSizeLimitBytes: options.exportSizeLimitBytes,
      uploadSessionLifetimeMs: options.uploadSessionLifetimeSeconds * 1000,
      metadataBodyLimitBytes: 1024 * 1024,
    };
    const isApiPath = (path: string) => path.startsWith('/drive/') || path.startsWith('/upload/');
    this.faults = new FaultEngine(isApiPath, options.faults);
    this.throttle = new WriteThrottle(this.clock, options.writesPerSecond);
    const signer = new IdTokenSigner(this.clock);
    this.oauth = new OAuthServer({
      ...oauthServerOptions(options),
      serviceName: 'Google',
      prefixes: { accessToken: 'ya29.', refreshToken: '1//0', code: '4/0A' },
      idToken: (grant) => signer.token(grant, numericUserId(grant.user.email)),
    });
    this.sessions = new UploadSessions(
      () => this.blobs.uploadsDir,
      this.clock,
      () => this.limits.uploadSessionLifetimeMs,
    );
    this.faultHooks = {
      render: (rule, ctx) => {
        const error =
          rule.kind === 'rate-limit'
            ? rateLimitExceeded(rule.retryAfter)
            : rule.kind === 'user-rate-limit'
              ? userRateLimitExceeded(rule.retryAfter)
              : rule.kind === 'quota'
                ? storageQuotaExceeded(rule.retryAfter)
                : statusError(rule.status ?? 503, rule.retryAfter);
        sendDriveError(ctx.res, error);
      },
      expireToken: (ctx) => {
        const token = this.bearer(ctx);
        if (token) this.oauth.expireAccessToken(token);
      },
      sleep: options.sleep,
    };
    registerOAuthRoutes(this.router, {
      oauth: this.oauth,
      clock: this.clock,
      signer,
      serviceName: 'Google',
      subject: numericUserId,
    });
    registerFileRoutes(this.router, this);
    registerUploadRoutes(this.router, this, this.sessions);
    const target: AdminTarget = {
      faults: this.faults,
      oauth: this.oauth,
      clock: this.clock,
      throttle: this.throttle,
      defaultScope: DRIVE_SCOPE,
      initial: options,
      users: () => this.users,
      restoreSeed: () => this.restoreSeed(),
    };
    this.admin = {
      ...createAdmin(target),
      setQuota: (user, limit) => {
        seededStore(this.drives, user).quotaLimit = limit;
      },
      rootId: (user) => seededStore(this.drives, user).root.id,
    };
    registerAdminRoutes(this.adminRouter, target, this.admin);
    registerQuotaRoute(this.adminRouter, this.admin);
    this.handle = requestListener({
      admin: this.adminRouter,
      routes: this.router,
      faults: this.faults,
      faultHooks: this.faultHooks,
      unmatched: (ctx, match) => {
        if (match.kind === 'method-not-allowed')
          sendHtml(ctx.res, 405, METHOD_PAGE, { Allow: match.allow.join(', ') });
        else sendHtml(ctx.res, 404, NOT_FOUND_PAGE);
      },
      renderError: (ctx, error) => {
        if (error instanceof DriveError) sendDriveError(ctx.res, error);
        else if (error instanceof BodyTooLargeError) sendDriveError(ctx.res, requestTooLarge());
        else
          sendDriveError(
            ctx.res,
            new DriveError(500, 'Internal Error', [
              { message: String(error), domain: 'global', reason: 'internalError' },
            ]),
          );
      },
    });
  }

  get users(): string[] {
    return this.options.seed.users.map((u) => u.email);
  }

  /** Prepares the data directory and builds the seeded drives. */
  async init(): Promise<void> {
    await this.blobs.clear();
    this.drives = this.build();
  }

  private build(): Map<string, DriveStore> {
    return buildDrives(this.options.seed, {
      clock: this.clock,
      blobs: this.blobs,
      defaultQuotaBytes: this.options.defaultQuotaBytes,
    });
  }

  /** Back to the seed: data and upload sessions (the admin's reset then restores faults, throttle, tokens). */
  private async restoreSeed(): Promise<void> {
    for (const store of this.drives.values()) store.dispose();
    this.sessions.clear();
    await this.blobs.clear();
    this.drives = this.build();
  }

  store(email: string): DriveStore | undefined {
    return this.drives.get(email);
  }

  private bearer(ctx: RequestContext): string | undefined {
    const header = ctx.req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return match?.[1] ?? ctx.url.searchParams.get('access_token') ?? undefined;
  }

  authorize(ctx: RequestContext, access: Access): DriveStore {
    const token = this.bearer(ctx);
    if (!token) throw loginRequired();
    const auth = this.oauth.authenticate(token);
    if (!auth.ok) throw authError();
    const scopes = auth.grant.scope.split(' ');
    const allowed = scopes.some(
      (s) => s.startsWith(SCOPE_PREFIX) && ACCESS_BY_SCOPE[s.slice(SCOPE_PREFIX.length)]?.includes(access),
    );
    if (!allowed) throw insufficientScopes(access === 'write' ? DRIVE_SCOPE : `${DRIVE_SCOPE}.readonly`);
    const store = this.drives.get(auth.grant.user.email);
    if (!store) throw authError();
    if (access === 'write' && !this.throttle.take(store.user.email)) throw userRateLimitExceeded();
    return store;
  }

  renderContext(ctx: RequestContext, store: DriveStore): RenderContext {
    return { origin: ctx.url.origin, store, thumbnails: this.thumbnails };
  }

  respond(ctx: RequestContext, status: number, body: unknown): void {
    const pretty = ctx.url.searchParams.get('prettyPrint') !== 'false';
    const text = pretty ? JSON.stringify(body, null, 2) + '\n' : JSON.stringify(body);
    const bytes = Buffer.from(text);
    ctx.res.writeHead(status, {
      'Content-Type': 'application/json; charset=UTF-8',
      'Content-Length': bytes.length,
      Vary: 'Origin, X-Origin, Referer',
      'Cache-Control': 'private, max-age=0, must-revalidate, no-transform',
    });
    ctx.res.end(bytes);
  }
}
