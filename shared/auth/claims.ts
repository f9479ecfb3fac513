import { UnauthenticatedError } from '../domain/errors.js';
import { type Principal, PrincipalSchema, RoleSchema } from '../domain/principal.js';

/**
 * Maps JWT claims to the principal. The same claim names are used by Cognito (custom attributes and groups)
 * and by the local runtime's session tokens (`SessionTokens`), so one mapping serves both.
 *
 * - `sub` → userId (for agents, the agent id); `name` → name
 * - `custom:role`, or the first role found in `cognito:groups` (which API Gateway passes as the string "[agent]")
 * - `custom:departmentId` for officers, `custom:enterpriseId` (credit code) for investors
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const role = roleFrom(claims);
  const candidate = {
    userId: str(claims['custom:userId']) ?? str(claims.sub),
    role,
    name: str(claims.name) ?? str(claims['cognito:username']) ?? str(claims.sub),
    departmentId: str(claims['custom:departmentId']),
    enterpriseId: str(claims['custom:enterpriseId']),
  };
  const parsed = PrincipalSchema.safeParse(candidate);
  if (!parsed.success) throw new UnauthenticatedError('the token does not carry a user, a role and a name');
  if (parsed.data.role === 'officer' && !parsed.data.departmentId) {
    throw new UnauthenticatedError('an officer token must carry custom:departmentId');
  }
  if (parsed.data.role === 'investor' && !parsed.data.enterpriseId) {
    throw new UnauthenticatedError('an investor token must carry custom:enterpriseId');
  }
  return parsed.data;
}

function roleFrom(claims: Record<string, unknown>): string | undefined {
  const explicit = str(claims['custom:role']);
  if (explicit) return explicit;
  const groups = claims['cognito:groups'];
  const list = Array.isArray(groups)
    ? groups.map(String)
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return list.find((g) => RoleSchema.safeParse(g).success);
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;
