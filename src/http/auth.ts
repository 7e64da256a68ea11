import { timingSafeEqual } from 'crypto';
import type { RequestHandler } from 'express';
import { loginFailed } from '../audit/auditEvents';
import { audit } from '../audit/auditTrail';

/**
 * Optional access control for everything but /healthz (config http.token). Accepts either
 * `Authorization: Bearer <token>` (Prometheus, scripts) or HTTP Basic with the token as the password
 * and any user name (browsers, for the status page and the queue dashboard).
 * An empty token switches auth off.
 */
export function tokenAuth(token: string): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = Buffer.from(token, 'utf8');
  return (req, res, next) => {
    const presented = presentedSecret(req.headers.authorization);
    if (presented !== undefined && sameSecret(Buffer.from(presented, 'utf8'), expected)) return next();
    // A wrong secret is a failed login; a request without one is a browser's first ask for Basic auth.
    if (presented !== undefined) audit((self) => loginFailed(self, { address: req.socket.remoteAddress ?? '', path: req.path }));
    res
      .status(401)
      .set('WWW-Authenticate', 'Basic realm="mammocad", charset="UTF-8"')
      .json({ error: 'authentication required: Bearer token or Basic auth with the token as password' });
  };
}

/** The secret in an Authorization header: the bearer token, or the Basic password. */
export function presentedSecret(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) return bearer[1].trim();
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

/** Constant-time comparison, so response timing does not leak how much of the token matched. */
function sameSecret(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
