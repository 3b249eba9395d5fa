import type { z } from 'zod';
import { defineRoute, mountRoutes, pathsOf, type Responses, type Route, type RouteSpec } from '../http/define-route.ts';
import type { ErrorSpecs } from '../http/openapi.ts';
import { ANY_ROLE, requireRole } from './auth/middleware.ts';
import type { AdminModule } from './types.ts';
import type { Role } from '../domain/roles.ts';

/**
 * A console API route: `defineRoute` plus who may call it. `roles` adds the role check
 * (401 `unauthorized`, 403 `forbidden` / `password_change_required`), the OpenAPI security
 * (session cookie, and the CSRF header on state-changing methods: 403 `csrf`) and `x-roles`.
 */
export type AdminRouteSpec<P extends z.ZodType | undefined, Q extends z.ZodType | undefined, B extends z.ZodType | undefined, Rs extends Responses> = Omit<
  RouteSpec<P, Q, B, Rs>,
  'security'
> & {
  /** Who may call it; 'public' for no session (login, the OpenAPI document). */
  roles: readonly Role[] | 'public';
  /** A state-changing route that needs no CSRF token (only login). */
  noCsrf?: boolean;
};

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

/** The errors the session, role and CSRF checks answer. */
export function guardErrors(method: string, roles: readonly Role[] | 'public', noCsrf = false): ErrorSpecs {
  if (roles === 'public') return {};
  const csrf = STATE_CHANGING.has(method) && !noCsrf;
  return { 401: ['unauthorized'], 403: ['forbidden', 'password_change_required', 'totp_enrolment_required', ...(csrf ? ['csrf'] : [])] };
}

/** Declares a console route (see `AdminRouteSpec`). */
export function adminRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  Rs extends Responses = Responses,
>(spec: AdminRouteSpec<P, Q, B, Rs>): Route {
  const { roles, noCsrf, ...rest } = spec;
  const isPublic = roles === 'public';
  const csrf = STATE_CHANGING.has(spec.method) && !noCsrf;
  const roleNote = isPublic ? 'Public.' : `Roles: ${roles.join(', ')}.`;
  return defineRoute<P, Q, B, Rs>({
    ...rest,
    description: [spec.description, roleNote].filter(Boolean).join('\n\n'),
    before: [...(isPublic ? [] : [requireRole(...roles)]), ...(spec.before ?? [])],
    security: isPublic ? [] : [csrf ? { session: [], csrf: [] } : { session: [] }],
    extensions: { ...(isPublic ? {} : { 'x-roles': [...roles] }), ...(spec.extensions ?? {}) },
    errors: { ...guardErrorsMerged(guardErrors(spec.method, roles, noCsrf), spec.errors) },
  });
}

function guardErrorsMerged(guard: ErrorSpecs, own: ErrorSpecs | undefined): ErrorSpecs {
  const out: ErrorSpecs = { ...guard };
  for (const [status, spec] of Object.entries(own ?? {})) {
    const s = Number(status);
    out[s] = out[s] ? ([out[s], spec] as ErrorSpecs[number]) : spec;
  }
  return out;
}

/** A console module made of declared routes: its router and its OpenAPI paths. */
export function routeModule(routes: readonly Route[]): AdminModule & { routes: readonly Route[] } {
  return { router: mountRoutes(routes), paths: pathsOf(routes), routes };
}

export { ANY_ROLE };
