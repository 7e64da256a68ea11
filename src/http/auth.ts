import { timingSafeEqual } from 'crypto';
import type { RequestHandler } from 'express';
import { loginFailed } from '../audit/auditEvents';
import { audit } from '../audit/auditTrail';
import { logger } from '../log/logger';
import type { HttpUsers } from './httpUsers';
import { LoginThrottle } from './loginThrottle';

/**
 * Optional access control for everything but /healthz. Accepts the shared token (config http.token)
 * as `Authorization: Bearer <token>` (Prometheus, scripts) or as the HTTP Basic password with any
 * user name (browsers), and, with http.usersFile, a named user's HTTP Basic name and password: then
 * `res.locals.user` names them for the audit trail. Neither configured: no access control. Repeated
 * failures from one address block it for a while (LoginThrottle).
 */
export function tokenAuth(token: string, users?: HttpUsers, throttle = new LoginThrottle()): RequestHandler {
  if (!token && !users) return (_req, _res, next) => next();
  const expected = token ? Buffer.from(token, 'utf8') : undefined;
  return (req, res, next) => {
    const presented = presentedCredentials(req.headers.authorization);
    const address = req.socket.remoteAddress ?? '';
    const blockedMs = presented ? throttle.blockedFor(address) : 0;
    if (blockedMs > 0) {
      const seconds = Math.ceil(blockedMs / 1000);
      res.status(429).set('Retry-After', String(seconds)).json({ error: `too many failed logins from this address: try again in ${seconds} s` });
      return;
    }
    void (async () => {
      if (presented) {
        if (expected && sameSecret(Buffer.from(presented.secret, 'utf8'), expected)) {
          throttle.succeeded(address);
          return next();
        }
        if (users && presented.user && (await users.verify(presented.user, presented.secret))) {
          throttle.succeeded(address);
          res.locals.user = presented.user;
          return next();
        }
        // A wrong secret is a failed login; a request without one is a browser's first ask for Basic auth.
        audit((self) => loginFailed(self, { address, path: req.path, user: presented.user }));
        if (throttle.failed(address)) logger.warn('HTTP logins blocked for an address after repeated failures', { address, minutes: 5 });
      }
      res
        .status(401)
        .set('WWW-Authenticate', 'Basic realm="mammocad", charset="UTF-8"')
        .json({ error: 'authentication required: Bearer token, or Basic auth with the token or your own password' });
    })().catch(next);
  };
}

/** The user name (Basic only) and secret in an Authorization header. */
export function presentedCredentials(header: string | undefined): { user?: string; secret: string } | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) return { secret: bearer[1].trim() };
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? { user: decoded.slice(0, colon) || undefined, secret: decoded.slice(colon + 1) } : undefined;
  }
  return undefined;
}

/** Constant-time comparison, so response timing does not leak how much of the token matched. */
function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
